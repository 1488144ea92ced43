import { expect } from "chai";
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/** The JavaScript the registered `.ts` loader (twin/register.cjs, mocha's `require`) hands to Node for a file. */
function loadedJavaScript(file: string): string {
    const module = new Module(file) as Module & { _compile(code: string, filename: string): unknown };
    let javascript = "";
    module._compile = (code: string) => (javascript = code);
    const loaders = require.extensions as unknown as Record<string, (module: Module, file: string) => void>;
    loaders[".ts"](module, file);
    return withoutSourceMap(javascript);
}

/** What TypeScript itself emits for the file under the project's compiler options, as `pulumi up`'s ts-node does. */
function typescriptEmit(file: string): string {
    const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const output = ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: options, fileName: file });
    return withoutSourceMap(output.outputText);
}

const withoutSourceMap = (javascript: string) => javascript.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");

describe("the harness's TypeScript loader", function () {
    this.timeout(30_000);

    for (const file of [
        "index.ts",
        "functions/setGetHandler.ts",
        "components/cache/redisCluster.ts",
        "config/validate.ts",
    ]) {
        it(`gives the program's ${file} TypeScript's own emit, the JavaScript Pulumi serializes from`, () => {
            const absolute = path.join(ROOT, file);
            expect(loadedJavaScript(absolute)).to.equal(typescriptEmit(absolute));
        });
    }

    it("gives the harness's own files another transpiler's JavaScript (swc), which is where its speed comes from", () => {
        const harnessFile = path.join(ROOT, "twin", "program", "evaluateProgram.ts");
        const javascript = loadedJavaScript(harnessFile);
        expect(javascript).to.not.equal(typescriptEmit(harnessFile));
        expect(javascript).to.match(/exports/);
    });
});
