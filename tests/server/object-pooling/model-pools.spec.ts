import { describe, expect, it } from "@rbxts/jest-globals";
import { ReplicatedStorage } from "@rbxts/services";
import { ModelPools } from "shared/object-pooling/model-pools";
import { Parking } from "shared/object-pooling/pool-types";

function templateOf(itemId: string): Model {
	return ReplicatedStorage.WaitForChild("TS").WaitForChild("catalog").WaitForChild("models").WaitForChild(itemId) as Model;
}

function newPools(parking: Parking = "parent-nil", parkingFolder?: Instance) {
	let now = 0;
	const pools = new ModelPools(templateOf, {
		parking,
		parkingFolder,
		idleFloor: 2,
		shrinkAfterSeconds: 10,
		leakAfterSeconds: 5,
		now: () => now,
	});
	return { pools, advance: (seconds: number) => (now += seconds) };
}

describe("model pools", () => {
	it("prewarms, then serves acquires from idle models (hits) before cloning (misses)", () => {
		const { pools } = newPools();
		pools.prewarm("chair", 3);
		expect(pools.stats()[0]).toEqual({ itemId: "chair", size: 3, inUse: 0, idle: 3, hits: 0, misses: 0, destroyed: 0 });
		const models = [pools.acquire("chair", 1), pools.acquire("chair", 1), pools.acquire("chair", 1), pools.acquire("chair", 1)];
		expect(pools.stats()[0]).toEqual({ itemId: "chair", size: 4, inUse: 4, idle: 0, hits: 3, misses: 1, destroyed: 0 });
		expect(pools.release(models[0])).toBe(true);
		expect(pools.release(models[0])).toBe(false);
		expect(pools.acquire("chair", 1)).toBe(models[0]);
	});

	it("resets a released model: attributes, tags, highlights and name are the template's again", () => {
		const { pools } = newPools();
		const model = pools.acquire("lamp", 1);
		model.Name = "placed-lamp";
		model.SetAttribute("PlacementId", "abc");
		model.AddTag("PlacedObject");
		const highlight = new Instance("Highlight");
		highlight.Parent = model;
		model.Parent = game.GetService("Workspace");
		pools.release(model);
		expect(model.Parent).toBeUndefined();
		expect(model.GetAttribute("PlacementId")).toBeUndefined();
		expect(model.HasTag("PlacedObject")).toBe(false);
		expect(model.FindFirstChildWhichIsA("Highlight")).toBeUndefined();
		expect(model.Name).toBe("lamp");
	});

	it("parks by CFrame far away in a folder when told to", () => {
		const folder = new Instance("Folder");
		const { pools } = newPools("cframe-far", folder);
		const model = pools.acquire("chair", 1);
		pools.release(model);
		expect(model.Parent).toBe(folder);
		expect((model.FindFirstChildWhichIsA("BasePart") as BasePart).CFrame.Position.Y).toBe(-1e5);
	});

	it("shrinks idle models above the floor once idle long enough, within the per-frame budget", () => {
		const { pools, advance } = newPools();
		pools.prewarm("tree", 10);
		expect(pools.shrink(100)).toBe(0);
		advance(11);
		expect(pools.shrink(3)).toBe(3);
		expect(pools.shrink(100)).toBe(5);
		expect(pools.stats()[0].idle).toBe(2);
		expect(pools.stats()[0].destroyed).toBe(8);
	});

	it("forceCleanup destroys every idle model now and keeps those in use", () => {
		const { pools } = newPools();
		pools.prewarm("table", 5);
		const inUse = pools.acquire("table", 1);
		expect(pools.forceCleanup()).toBe(4);
		expect(pools.report().totalIdle).toBe(0);
		expect(pools.report().totalInUse).toBe(1);
		expect(inUse.FindFirstChildWhichIsA("BasePart")).toBeDefined();
	});

	it("remembers a streamed-out chunk only while a model is still out for it: walking across the map grows nothing", () => {
		const { pools, advance } = newPools();
		const watched = () => (pools as unknown as { streamedOut: Map<number, number> }).streamedOut.size();
		for (let chunk = 0; chunk < 500; chunk++) {
			const model = pools.acquire("chair", chunk);
			pools.release(model);
			pools.chunkStreamedOut(chunk);
			pools.chunkStreamedOut(chunk + 10000);
		}
		expect(watched()).toBe(0);
		const kept = pools.acquire("lamp", 7);
		pools.chunkStreamedOut(7);
		expect(watched()).toBe(1);
		advance(6);
		expect(pools.leaks().map((leak) => leak.chunkKey)).toEqual([7]);
		pools.release(kept);
		expect(watched()).toBe(0);
	});

	it("reports a model still out for a chunk that streamed out, with its item and age", () => {
		const { pools, advance } = newPools();
		const kept = pools.acquire("chair", 42);
		const returned = pools.acquire("lamp", 42);
		advance(2);
		pools.chunkStreamedOut(42);
		pools.release(returned);
		advance(3);
		expect(pools.leaks()).toEqual([]);
		advance(3);
		expect(pools.leaks()).toEqual([{ itemId: "chair", chunkKey: 42, ageSeconds: 8, secondsSinceStreamedOut: 6 }]);
		pools.release(kept);
		expect(pools.leaks()).toEqual([]);
	});
});
