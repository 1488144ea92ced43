import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { writeArchiveOf } from "../../twin/archive/lambdaArchive";
import { withoutCodePathsCache } from "../../twin/program/codePathsCache";
import { evaluateProgram } from "../../twin/program/evaluateProgram";

/** The archive's files, each with its content, so two archives compare byte for byte. */
async function archiveContents(run: Parameters<typeof writeArchiveOf>[0]): Promise<Record<string, string>> {
    const archive = await writeArchiveOf(run);
    try {
        const contents: Record<string, string> = {};
        for (const file of archive.files) {
            contents[file] = fs.readFileSync(path.join(archive.dir, file)).toString("base64");
        }
        return contents;
    } finally {
        archive.remove();
    }
}

describe("the Lambda archive's code paths, cached per process", function () {
    this.timeout(120_000);

    it("gives the archive Pulumi builds without the cache: the same files, byte for byte, and the same __index.js", async () => {
        const uncached = await archiveContents(await withoutCodePathsCache(() => evaluateProgram({ stack: "dev" })));
        // Twice with the cache: the first fills it, the second is served from it.
        await evaluateProgram({ stack: "dev" });
        const cached = await archiveContents(await evaluateProgram({ stack: "dev" }));
        expect(Object.keys(cached).sort()).to.deep.equal(Object.keys(uncached).sort());
        expect(Object.keys(cached)).to.include("__index.js");
        expect(Object.keys(cached).some((file) => file.startsWith(path.join("node_modules", "ioredis")))).to.equal(
            true,
        );
        expect(cached).to.deep.equal(uncached);
    });
});
