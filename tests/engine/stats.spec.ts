import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("Stats memory figures", () => {
	const world = new World();
	afterAll(() => world.stop());

	const statsOf = (peer: HeadlessPeer) => peer.game.GetService("Stats");

	it("derives a peer's figures from what it holds: leaked Instances raise them", () => {
		const server = world.startServer({ empty: true });
		const stats = statsOf(server);
		const before = stats.GetTotalMemoryUsageMb();
		const partsBefore = stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.PhysicsParts);
		const folder = server.create("Folder", server.game.GetService("Workspace"));
		for (let index = 0; index < 2000; index++) server.create("Part", folder);
		// Like Roblox's, the figures are refreshed once per frame.
		expect(stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.PhysicsParts)).toBe(partsBefore);
		Headless.frames(1);
		const partsAfter = stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.PhysicsParts);
		expect(partsAfter - partsBefore).toBeCloseTo((2000 * 4) / 1024, 3);
		expect(stats.GetTotalMemoryUsageMb()).toBeGreaterThan(before + 7);
		// The heap a peer is charged for grows with what it allocates after its first reading. A
		// garbage collection between two readings can take the shared heap below the baseline and
		// hide the growth once; it cannot do so on every try, so the hoard grows until it shows.
		const hoard: string[] = [];
		let grew = false;
		for (let attempt = 0; attempt < 3 && !grew; attempt++) {
			const heapBefore = stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.LuaHeap);
			for (let index = 0; index < 20000; index++) hoard.push(`item ${attempt} ${index} ${string.rep("x", 100)}`);
			Headless.frames(1);
			grew = stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.LuaHeap) > heapBefore;
		}
		expect(grew).toBe(true);
		expect(hoard.size() % 20000).toBe(0);
		folder.Destroy();
		Headless.frames(1);
		expect(stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.PhysicsParts)).toBeCloseTo(partsBefore, 3);
	});

	it("lets a spec set one server's figures without touching another's", () => {
		const first = world.startServer({ empty: true });
		const second = world.startServer({ empty: true });
		Headless.setMemory({ server: first, totalMb: 1234, byTag: { Script: 50 } });
		expect(statsOf(first).GetTotalMemoryUsageMb()).toBe(1234);
		expect(statsOf(first).GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.Script)).toBe(50);
		expect(statsOf(second).GetTotalMemoryUsageMb()).never.toBe(1234);
		Headless.setMemory({ totalMb: 700 });
		expect(statsOf(second).GetTotalMemoryUsageMb()).toBe(700);
		expect(statsOf(first).GetTotalMemoryUsageMb()).toBe(1234);
		Headless.setMemory({ server: first, reset: true });
		expect(statsOf(first).GetTotalMemoryUsageMb()).toBe(700);
		Headless.setMemory({ reset: true });
		expect(statsOf(first).GetTotalMemoryUsageMb()).never.toBe(700);
	});
});
