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

/**
 * Runs `operations` random inserts, moves, removes and queries on the hash and the linear index
 * and returns a description of every query whose results differ.
 */
function compareWithLinearIndex(seed: number, cellSize: number, operations: number): string[] {
	const random = new Random(seed);
	const hash = createSpatialHash(cellSize);
	const linear = createLinearIndex();
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
			hash.insert(id, x, z, x + width, z + depth);
			linear.insert(id, x, z, x + width, z + depth);
		} else if (roll < 0.6) {
			const id = `obj${random.NextInteger(1, 400)}`;
			const removedFromHash = hash.remove(id);
			if (removedFromHash !== linear.remove(id)) mismatches.push(`step ${step}: remove ${id}`);
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
		for (let index = 0; index < 2000; index++) {
			// Half on whole studs, so footprints starting on cell edges and touching the radius are common.
			const whole = index % 2 === 0;
			const x = whole ? random.NextInteger(-60, 60) : random.NextNumber(-60, 60);
			const z = whole ? random.NextInteger(-60, 60) : random.NextNumber(-60, 60);
			const width = random.NextInteger(0, 20);
			const depth = random.NextInteger(0, 20);
			hash.insert(`obj${index}`, x, z, x + width, z + depth);
			linear.insert(`obj${index}`, x, z, x + width, z + depth);
		}
		const mismatches: string[] = [];
		for (let query = 0; query < 300; query++) {
			const x = query % 3 === 0 ? random.NextInteger(-50, 50) : random.NextNumber(-50, 50);
			const z = query % 3 === 0 ? random.NextInteger(-50, 50) : random.NextNumber(-50, 50);
			const radius = query % 3 === 0 ? random.NextInteger(16, 60) : random.NextNumber(16, 60);
			const expected = linear.queryRadius(x, z, radius, []).size();
			if (hash.countRadius(x, z, radius, math.huge) !== expected) mismatches.push(`${x},${z} r${radius}`);
			if (hash.countRadius(x, z, radius, 100) !== math.min(100, expected)) mismatches.push(`${x},${z} r${radius} to 100`);
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
