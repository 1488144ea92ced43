import { expect } from "chai";
import { evenSplitMoves } from "../../twin/cluster/slotMigration";

const SLOTS = 16384;

/** Owners of every slot when `shards` split them evenly in shard order, as a cluster starts. */
function evenOwners(shards: number): number[] {
    return Array.from({ length: SLOTS }, (_, slot) => {
        for (let shard = 0; ; shard++) if (slot < Math.floor(((shard + 1) * SLOTS) / shards)) return shard;
    });
}

function apply(owners: readonly number[], moves: ReturnType<typeof evenSplitMoves>): number[] {
    const after = [...owners];
    for (const move of moves) {
        expect(after[move.slot], `slot ${move.slot} moves from its owner`).to.equal(move.from);
        after[move.slot] = move.to;
    }
    return after;
}

function counts(owners: readonly number[]): Record<number, number> {
    const result: Record<number, number> = {};
    for (const owner of owners) result[owner] = (result[owner] ?? 0) + 1;
    return result;
}

describe("evenSplitMoves: which slots move when shards are added or removed", function () {
    it("3 → 4 shards: the new shard gets a quarter, taken from each old shard's lowest slots; nothing else moves", function () {
        const before = evenOwners(3);
        const moves = evenSplitMoves(before, [0, 1, 2, 3]);
        expect(moves.every((move) => move.to === 3)).to.equal(true);
        expect(moves).to.have.length(4096);
        expect(counts(apply(before, moves))).to.deep.equal({ 0: 4096, 1: 4096, 2: 4096, 3: 4096 });
        expect(moves[0]).to.deep.equal({ slot: 0, from: 0, to: 3 });
    });

    it("4 → 3 shards: every slot of the shard that leaves goes to the others, evenly; theirs stay put", function () {
        const before = apply(evenOwners(3), evenSplitMoves(evenOwners(3), [0, 1, 2, 3]));
        const moves = evenSplitMoves(before, [0, 1, 2]);
        expect(moves.every((move) => move.from === 3)).to.equal(true);
        expect(moves).to.have.length(4096);
        expect(counts(apply(before, moves))).to.deep.equal({ 0: 5461, 1: 5461, 2: 5462 });
    });

    it("an even cluster needs no move; a slot without owner is refused", function () {
        expect(evenSplitMoves(evenOwners(3), [0, 1, 2])).to.deep.equal([]);
        const holed: (number | undefined)[] = evenOwners(3);
        holed[42] = undefined;
        expect(() => evenSplitMoves(holed, [0, 1, 2])).to.throw(/slot 42 has no owner/);
        expect(() => evenSplitMoves(evenOwners(3), [])).to.throw(/no shard/);
    });
});
