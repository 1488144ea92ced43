import { expect } from "chai";
import { evaluateProgram } from "../../twin/program/evaluateProgram";
import { gatheringRuntimeWarnings } from "../../twin/program/runtimeWarnings";

describe("the program's warnings under mocks: gathered by the evaluation, printed by the command once", function () {
    this.timeout(60_000);

    it("keeps what the program logs with pulumi.log.warn in run.warnings, each once, and prints none of it", async () => {
        const printed: unknown[][] = [];
        const print = console.warn;
        console.warn = (...parts: unknown[]) => printed.push(parts);
        try {
            const config = { durableWrites: "true", replicaCount: "0" };
            const first = await evaluateProgram({ stack: "dev", config });
            const second = await evaluateProgram({ stack: "dev", config });
            for (const run of [first, second]) {
                const durable = run.warnings.filter((warning) =>
                    warning.startsWith("durableWrites: true with replicaCount 0"),
                );
                expect(durable).to.have.length(1);
                expect(new Set(run.warnings).size).to.equal(run.warnings.length);
            }
        } finally {
            console.warn = print;
        }
        expect(printed.filter((parts) => String(parts[0]).includes("[runtime]"))).to.deep.equal([]);
    });

    it("lets every other console.warn through, and puts console.warn back afterwards, also when the evaluation throws", async () => {
        const printed: unknown[][] = [];
        const print = console.warn;
        const spy = (...parts: unknown[]) => printed.push(parts);
        console.warn = spy;
        try {
            const failing = gatheringRuntimeWarnings(async () => {
                console.warn("warning: [runtime] gathered");
                console.warn("a line of someone else's");
                console.warn("warning: [runtime] with", "two parts");
                throw new Error("refused");
            });
            const error = await failing.then(
                () => undefined,
                (thrown: Error) => thrown,
            );
            expect(error?.message).to.equal("refused");
            expect(console.warn).to.equal(spy);
        } finally {
            console.warn = print;
        }
        expect(printed).to.deep.equal([["a line of someone else's"], ["warning: [runtime] with", "two parts"]]);
    });
});
