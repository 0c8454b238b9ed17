import { describe, expect, it } from "@rbxts/jest-globals";
import { SpatialHash, createLinearIndex, createSpatialHash } from "server/placement-tracker/spatial-hash";


const implementations: [string, () => SpatialHash][] = [
	["spatial hash (cell size 10)", () => createSpatialHash(10)],
	["spatial hash (cell size 1)", () => createSpatialHash(1)],
	["linear index", () => createLinearIndex()],
];

for (const [name, create] of implementations) {
	describe(name, () => {
		it("finds nothing in an empty index and clears the output first", () => {
			const index = create();
			const out = ["stale"];
			expect(index.queryBox(-100, -100, 100, 100, out)).toEqual([]);
			expect(out).toEqual([]);
			expect(index.queryRadius(0, 0, 1000, out)).toEqual([]);
			expect(index.size()).toBe(0);
		});

		it("gives back a footprint as last inserted, and nothing once it is removed", () => {
			const index = create();
			const into = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };
			expect(index.boundsOf("chair", into)).toBeUndefined();
			index.insert("chair", 1.5, -2, 3.5, 0.25, "chair");
			expect(index.boundsOf("chair", into)).toEqual({ minX: 1.5, minZ: -2, maxX: 3.5, maxZ: 0.25 });
			index.insert("chair", 40, 40, 42, 42, "chair");
			expect(index.boundsOf("chair", into)).toEqual({ minX: 40, minZ: 40, maxX: 42, maxZ: 42 });
			index.remove("chair");
			expect(index.boundsOf("chair", into)).toBeUndefined();
		});

		it("reports boxes that overlap with positive area, not ones that only touch", () => {
			const index = create();
			index.insert("inside", 2, 2, 4, 4);
			index.insert("straddling", 8, 8, 12, 12);
			index.insert("touching-edge", 10, 0, 14, 5);
			index.insert("touching-corner", -3, -3, 0, 0);
			index.insert("far", 50, 50, 51, 51);
			expect(index.queryBox(0, 0, 10, 10, [])).toEqual(["inside", "straddling"]);
			expect(index.queryBox(0, 0, 10.001, 10, [])).toEqual(["inside", "straddling", "touching-edge"]);
		});

		it("forgets a removed footprint whole: a new one in its place (or in its emptied cells) carries nothing of it", () => {
			const index = create();
			index.insert("lamp", 1, 1, 2, 2, "lamp");
			index.insert("huge", -500, -500, 500, 500, "floor");
			index.remove("lamp");
			index.remove("huge");
			// New footprints, one where the lamp was with no kind, one elsewhere of another kind.
			index.insert("rock", 1, 1, 2, 2);
			index.insert("chair", 40, 40, 41, 41, "chair");
			expect(index.queryBox(-600, -600, 600, 600, [])).toEqual(["chair", "rock"]);
			expect(index.countRadius(1.5, 1.5, 3, 100)).toBe(1);
			expect(index.countRadius(1.5, 1.5, 3, 100, "lamp")).toBe(0);
			expect(index.countRadius(1.5, 1.5, 100, 100, "floor")).toBe(0);
			expect(index.countRadius(40.5, 40.5, 3, 100, "chair")).toBe(1);
			expect(index.countRadiusAndKind(1.5, 1.5, 100, 100, "chair", 100, { all: 0, ofKind: 0 })).toEqual({ all: 2, ofKind: 1 });
			expect(index.size()).toBe(2);
		});

		it("reports boxes within the radius of the point, measured to the nearest point of the box", () => {
			const index = create();
			index.insert("contains-point", -1, -1, 1, 1);
			index.insert("east-at-5", 5, -1, 6, 1);
			index.insert("corner-at-5", 3, 4, 9, 9); // nearest point (3, 4) is 5 away
			index.insert("just-outside", 0, 5.001, 1, 6);
			expect(index.queryRadius(0, 0, 5, [])).toEqual(["contains-point", "corner-at-5", "east-at-5"]);
			expect(index.queryRadius(0, 0, 0, [])).toEqual(["contains-point"]);
			expect(index.queryRadius(0, 0, -1, [])).toEqual([]);
		});

		it("lists a box spanning many cells once, and results in id order", () => {
			const index = create();
			index.insert("zeta", -25, -25, 25, 25);
			index.insert("alpha", 0, 0, 30, 3);
			index.insert("mid", 1, 1, 2, 2);
			expect(index.queryBox(-30, -30, 30, 30, [])).toEqual(["alpha", "mid", "zeta"]);
			expect(index.queryRadius(0, 0, 40, [])).toEqual(["alpha", "mid", "zeta"]);
		});

		it("moves an id inserted again, removes ids and clears", () => {
			const index = create();
			index.insert("a", 0, 0, 1, 1);
			index.insert("b", 0, 0, 1, 1);
			index.insert("a", 100, 100, 101, 101);
			expect(index.size()).toBe(2);
			expect(index.queryBox(-1, -1, 2, 2, [])).toEqual(["b"]);
			expect(index.queryBox(99, 99, 102, 102, [])).toEqual(["a"]);
			expect(index.remove("b")).toBe(true);
			expect(index.remove("b")).toBe(false);
			expect(index.size()).toBe(1);
			expect(index.queryBox(-1, -1, 2, 2, [])).toEqual([]);
			index.clear();
			expect(index.size()).toBe(0);
			expect(index.queryBox(-1000, -1000, 1000, 1000, [])).toEqual([]);
		});

		it("handles negative coordinates, huge footprints and points far beyond the grid", () => {
			const index = create();
			index.insert("baseplate", -5000, -5000, 5000, 5000);
			index.insert("negative", -12.5, -7.5, -11, -6);
			index.insert("remote", 1e12, -1e12, 1e12 + 4, -1e12 + 4);
			expect(index.queryBox(-13, -8, -12, -7, [])).toEqual(["baseplate", "negative"]);
			expect(index.queryRadius(1e12 + 2, -1e12 + 2, 1, [])).toEqual(["remote"]);
			expect(index.queryRadius(0, 0, math.huge, [])).toEqual(["baseplate", "negative", "remote"]);
			index.insert("baseplate", 0, 0, 1, 1);
			expect(index.queryBox(-13, -8, -12, -7, [])).toEqual(["negative"]);
		});

		it("counts only the entries of the kind asked for, and every entry when none is", () => {
			const index = create();
			index.insert("chair-1", 0, 0, 2, 2, "chair");
			index.insert("chair-2", 3, 3, 4, 4, "chair");
			index.insert("lamp", 1, 1, 2, 2, "lamp");
			index.insert("plain", 2, 0, 3, 1);
			index.insert("far-chair", 100, 100, 101, 101, "chair");
			expect(index.countRadius(0, 0, 10, math.huge)).toBe(4);
			expect(index.countRadius(0, 0, 10, math.huge, "chair")).toBe(2);
			expect(index.countRadius(0, 0, 10, math.huge, "lamp")).toBe(1);
			expect(index.countRadius(0, 0, 10, math.huge, "sofa")).toBe(0);
			expect(index.countRadius(0, 0, 1000, math.huge, "chair")).toBe(3);
		});

		it("moves an entry's kind count when it is inserted again with another kind, box or no kind", () => {
			const index = create();
			index.insert("a", 0, 0, 1, 1, "chair");
			index.insert("b", 0, 0, 1, 1, "chair");
			index.insert("a", 0, 0, 1, 1, "lamp");
			expect(index.countRadius(0, 0, 5, math.huge, "chair")).toBe(1);
			expect(index.countRadius(0, 0, 5, math.huge, "lamp")).toBe(1);
			index.insert("b", 200, 200, 201, 201, "chair");
			expect(index.countRadius(0, 0, 5, math.huge, "chair")).toBe(0);
			expect(index.countRadius(200, 200, 5, math.huge, "chair")).toBe(1);
			index.insert("a", 0, 0, 1, 1);
			expect(index.countRadius(0, 0, 5, math.huge, "lamp")).toBe(0);
			expect(index.countRadius(0, 0, 5, math.huge)).toBe(1);
			expect(index.size()).toBe(2);
		});

		it("forgets a removed entry's kind, also in cells counted whole", () => {
			const index = create();
			// Small footprints well inside the radius: a grid with cells of 10 takes most of their cells whole.
			for (let step = 0; step < 40; step++) {
				index.insert(`lamp${step}`, step, step % 7, step + 0.5, (step % 7) + 0.5, "lamp");
				index.insert(`chair${step}`, step + 0.25, step % 5, step + 0.75, (step % 5) + 0.5, "chair");
			}
			expect(index.countRadius(20, 3, 25, math.huge, "lamp")).toBe(40);
			for (let step = 0; step < 40; step += 2) index.remove(`lamp${step}`);
			expect(index.countRadius(20, 3, 25, math.huge, "lamp")).toBe(20);
			expect(index.countRadius(20, 3, 25, math.huge, "chair")).toBe(40);
			expect(index.countRadius(20, 3, 25, math.huge)).toBe(60);
			index.clear();
			expect(index.countRadius(20, 3, 25, math.huge, "chair")).toBe(0);
		});

		it("stops a kind count at the limit, and counts kinds of huge footprints", () => {
			const index = create();
			for (let step = 0; step < 30; step++) index.insert(`chair${step}`, step, 0, step + 1, 1, "chair");
			index.insert("lamp", 0, 0, 1, 1, "lamp");
			index.insert("baseplate", -5000, -5000, 5000, 5000, "baseplate");
			expect(index.countRadius(15, 0, 40, 12, "chair")).toBe(12);
			expect(index.countRadius(15, 0, 40, 0, "chair")).toBe(0);
			expect(index.countRadius(15, 0, 40, 12, "lamp")).toBe(1);
			expect(index.countRadius(15, 0, 40, 12, "baseplate")).toBe(1);
			expect(index.countRadius(4000, 4000, 1, 12, "baseplate")).toBe(1);
			expect(index.countRadius(4000, 4000, 1, 12, "chair")).toBe(0);
		});

		it("rejects inverted or non-finite footprints", () => {
			const index = create();
			expect(() => index.insert("x", 1, 0, 0, 1)).toThrow("min <= max");
			expect(() => index.insert("x", 0, 0, 0 / 0, 1)).toThrow("min <= max");
			expect(() => index.insert("x", 0, 0, math.huge, 1)).toThrow("finite");
			expect(index.size()).toBe(0);
		});
	});
}

function randomCoordinate(random: Random, whole: boolean, low: number, high: number): number {
	return whole ? random.NextInteger(low, high) : random.NextNumber(low, high);
}

const KINDS = ["chair", "lamp", "table"];

/** A random kind, or none (undefined) one time in four. */
function randomKind(random: Random): string | undefined {
	const roll = random.NextInteger(0, KINDS.size());
	return roll < KINDS.size() ? KINDS[roll] : undefined;
}

/** How many of `ids` the spec itself recorded with `kind` (independent of both indexes). */
function countOfKind(ids: string[], kindOf: Map<string, string>, kind: string): number {
	let count = 0;
	for (const id of ids) if (kindOf.get(id) === kind) count += 1;
	return count;
}

/**
 * Runs `operations` random inserts (with random kinds), moves, removes and queries on the hash
 * and the linear index and returns a description of every query whose results differ, counts
 * by kind included.
 */
function compareWithLinearIndex(seed: number, cellSize: number, operations: number): string[] {
	const random = new Random(seed);
	const hash = createSpatialHash(cellSize);
	const linear = createLinearIndex();
	const kindOf = new Map<string, string>();
	const fromHash: string[] = [];
	const fromLinear: string[] = [];
	const mismatches: string[] = [];
	const area = 200;
	for (let step = 0; step < operations; step++) {
		// Whole coordinates make touching edges and boxes ending on cell boundaries common.
		const whole = random.NextNumber() < 0.5;
		const roll = random.NextNumber();
		if (roll < 0.45) {
			const id = `obj${random.NextInteger(1, 400)}`;
			const x = randomCoordinate(random, whole, -area, area);
			const z = randomCoordinate(random, whole, -area, area);
			const big = random.NextNumber() < 0.03;
			const width = randomCoordinate(random, whole, 0, big ? 600 : 30);
			const depth = randomCoordinate(random, whole, 0, big ? 600 : 30);
			const kind = randomKind(random);
			hash.insert(id, x, z, x + width, z + depth, kind);
			linear.insert(id, x, z, x + width, z + depth, kind);
			if (kind === undefined) kindOf.delete(id);
			else kindOf.set(id, kind);
		} else if (roll < 0.6) {
			const id = `obj${random.NextInteger(1, 400)}`;
			const removedFromHash = hash.remove(id);
			if (removedFromHash !== linear.remove(id)) mismatches.push(`step ${step}: remove ${id}`);
			kindOf.delete(id);
		} else if (roll < 0.8) {
			const x = randomCoordinate(random, whole, -area - 50, area + 50);
			const z = randomCoordinate(random, whole, -area - 50, area + 50);
			const width = randomCoordinate(random, whole, 0, random.NextNumber() < 0.05 ? 1000 : 60);
			const depth = randomCoordinate(random, whole, 0, 60);
			hash.queryBox(x, z, x + width, z + depth, fromHash);
			linear.queryBox(x, z, x + width, z + depth, fromLinear);
			if (!sameList(fromHash, fromLinear)) mismatches.push(`step ${step}: box ${x},${z} ${width}x${depth}`);
		} else {
			const x = randomCoordinate(random, whole, -area - 50, area + 50);
			const z = randomCoordinate(random, whole, -area - 50, area + 50);
			const radius = randomCoordinate(random, whole, 0, random.NextNumber() < 0.05 ? 800 : 50);
			hash.queryRadius(x, z, radius, fromHash);
			linear.queryRadius(x, z, radius, fromLinear);
			if (!sameList(fromHash, fromLinear)) mismatches.push(`step ${step}: radius ${x},${z} r${radius}`);
			// Counting finds exactly the listed ids, and stops at the limit.
			if (hash.countRadius(x, z, radius, math.huge) !== fromHash.size()) mismatches.push(`step ${step}: count radius ${x},${z} r${radius}`);
			const limit = random.NextInteger(1, 5);
			const counted = hash.countRadius(x, z, radius, limit);
			if (counted !== math.min(limit, fromHash.size())) mismatches.push(`step ${step}: count to ${limit} gave ${counted} of ${fromHash.size()}`);
			if (linear.countRadius(x, z, radius, limit) !== counted) mismatches.push(`step ${step}: linear count to ${limit}`);
			for (const kind of KINDS) {
				const expected = countOfKind(fromLinear, kindOf, kind);
				if (hash.countRadius(x, z, radius, math.huge, kind) !== expected) mismatches.push(`step ${step}: count ${kind} radius ${x},${z} r${radius}`);
				if (linear.countRadius(x, z, radius, math.huge, kind) !== expected) mismatches.push(`step ${step}: linear count ${kind}`);
				const kindCounted = hash.countRadius(x, z, radius, limit, kind);
				if (kindCounted !== math.min(limit, expected)) mismatches.push(`step ${step}: count ${kind} to ${limit} gave ${kindCounted} of ${expected}`);
				// Both counts in one pass, each to its own limit (one of them unlimited in turn).
				const kindLimit = random.NextInteger(1, 5);
				for (const [allLimit, ofKindLimit] of [
					[limit, kindLimit],
					[math.huge, kindLimit],
					[limit, math.huge],
					[0, kindLimit],
				] as const) {
					const both = hash.countRadiusAndKind(x, z, radius, allLimit, kind, ofKindLimit, { all: -1, ofKind: -1 });
					const want = `${math.min(allLimit, fromHash.size())}/${math.min(ofKindLimit, expected)}`;
					if (`${both.all}/${both.ofKind}` !== want) mismatches.push(`step ${step}: both to ${allLimit}/${ofKindLimit} of ${kind} gave ${both.all}/${both.ofKind}, want ${want}`);
					const linearBoth = linear.countRadiusAndKind(x, z, radius, allLimit, kind, ofKindLimit, { all: -1, ofKind: -1 });
					if (`${linearBoth.all}/${linearBoth.ofKind}` !== want) mismatches.push(`step ${step}: linear both ${kind}`);
				}
			}
		}
		if (hash.size() !== linear.size()) mismatches.push(`step ${step}: size ${hash.size()} vs ${linear.size()}`);
	}
	return mismatches;
}

function sameList(a: string[], b: string[]): boolean {
	if (a.size() !== b.size()) return false;
	for (let index = 0; index < a.size(); index++) {
		if (a[index] !== b[index]) return false;
	}
	return true;
}

describe("spatial hash against the linear index", () => {
	for (const [seed, cellSize] of [
		[1, 16],
		[2, 4],
		[3, 50],
		[4, 7.5],
	]) {
		it(`agrees on 4000 random operations (seed ${seed}, cell size ${cellSize})`, () => {
			expect(compareWithLinearIndex(seed, cellSize, 4000)).toEqual([]);
		});
	}

	it("counts a dense area exactly, including cells taken whole because they lie within the radius", () => {
		const random = new Random(11);
		const hash = createSpatialHash(8);
		const linear = createLinearIndex();
		const kindOf = new Map<string, string>();
		for (let index = 0; index < 2000; index++) {
			// Half on whole studs, so footprints starting on cell edges and touching the radius are common.
			const whole = index % 2 === 0;
			const x = whole ? random.NextInteger(-60, 60) : random.NextNumber(-60, 60);
			const z = whole ? random.NextInteger(-60, 60) : random.NextNumber(-60, 60);
			const width = random.NextInteger(0, 20);
			const depth = random.NextInteger(0, 20);
			const kind = randomKind(random);
			hash.insert(`obj${index}`, x, z, x + width, z + depth, kind);
			linear.insert(`obj${index}`, x, z, x + width, z + depth, kind);
			if (kind !== undefined) kindOf.set(`obj${index}`, kind);
		}
		// Churn: some removed, some moved and given another kind, so the per-cell kind counts have been taken down as well as up.
		for (let index = 0; index < 2000; index += 7) {
			hash.remove(`obj${index}`);
			linear.remove(`obj${index}`);
			kindOf.delete(`obj${index}`);
		}
		for (let index = 3; index < 2000; index += 11) {
			const x = random.NextInteger(-60, 60);
			const z = random.NextInteger(-60, 60);
			const kind = KINDS[index % KINDS.size()];
			hash.insert(`obj${index}`, x, z, x + 4, z + 4, kind);
			linear.insert(`obj${index}`, x, z, x + 4, z + 4, kind);
			kindOf.set(`obj${index}`, kind);
		}
		const listed: string[] = [];
		const mismatches: string[] = [];
		for (let query = 0; query < 300; query++) {
			const x = query % 3 === 0 ? random.NextInteger(-50, 50) : random.NextNumber(-50, 50);
			const z = query % 3 === 0 ? random.NextInteger(-50, 50) : random.NextNumber(-50, 50);
			const radius = query % 3 === 0 ? random.NextInteger(16, 60) : random.NextNumber(16, 60);
			const expected = linear.queryRadius(x, z, radius, listed).size();
			if (hash.countRadius(x, z, radius, math.huge) !== expected) mismatches.push(`${x},${z} r${radius}`);
			if (hash.countRadius(x, z, radius, 100) !== math.min(100, expected)) mismatches.push(`${x},${z} r${radius} to 100`);
			for (const kind of KINDS) {
				const expectedOfKind = countOfKind(listed, kindOf, kind);
				if (hash.countRadius(x, z, radius, math.huge, kind) !== expectedOfKind) mismatches.push(`${x},${z} r${radius} ${kind}`);
				if (hash.countRadius(x, z, radius, 30, kind) !== math.min(30, expectedOfKind)) mismatches.push(`${x},${z} r${radius} ${kind} to 30`);
				// Both counts in one pass, whole cells included, unlimited and stopping at limits.
				for (const [allLimit, kindLimit] of [
					[math.huge, math.huge],
					[100, 30],
					[40, math.huge],
					[math.huge, 5],
				] as const) {
					const both = hash.countRadiusAndKind(x, z, radius, allLimit, kind, kindLimit, { all: -1, ofKind: -1 });
					if (both.all !== math.min(allLimit, expected) || both.ofKind !== math.min(kindLimit, expectedOfKind)) {
						mismatches.push(`${x},${z} r${radius} ${kind} both to ${allLimit}/${kindLimit}: ${both.all}/${both.ofKind}`);
					}
				}
			}
		}
		expect(mismatches).toEqual([]);
	});

	it("returns non-empty results in the randomized runs (the comparison is not vacuous)", () => {
		const random = new Random(9);
		const hash = createSpatialHash(16);
		for (let index = 0; index < 300; index++) {
			const x = random.NextNumber(-200, 200);
			const z = random.NextNumber(-200, 200);
			hash.insert(`obj${index}`, x, z, x + 10, z + 10);
		}
		expect(hash.queryRadius(0, 0, 60, []).size()).toBeGreaterThan(5);
	});
});
