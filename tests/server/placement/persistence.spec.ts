import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { PlacementSnapshot } from "shared/placement/placement-types";
import { waitUntil, World } from "../../harness/world";
import { PERMISSIVE, joinBuilder, systemsOf } from "./placement-world";

function sorted(snapshots: PlacementSnapshot[]) {
	const copy = [...snapshots];
	copy.sort((a, b) => a.id < b.id);
	return copy;
}

describe("a build follows its owner", () => {
	const world = new World();
	afterEach(() => world.stop());

	function buildSomething(controller: ReturnType<typeof joinBuilder>["controller"]) {
		const spots: [string, Vector3, number][] = [
			["wood-floor", new Vector3(8, 0, 8), 0],
			["wood-wall", new Vector3(30, 0, 30), 90],
			["chair", new Vector3(50, 2, 50), 180],
			["tree", new Vector3(80, 0, 20), 270],
		];
		for (const [itemId, position, rotation] of spots) {
			Headless.seconds(1);
			expect(controller.place(itemId, position, rotation).success).toBe(true);
		}
	}

	it("restores the exact build after leaving and rejoining the same server", () => {
		const server = world.startServer({ dataStore: Headless.newDataStore() });
		const systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		const first = joinBuilder(world, server, 4001, "Keeper");
		buildSomething(first.controller);
		const before = sorted(systems.builds.snapshotOf(4001));
		expect(before.size()).toBe(4);

		first.client.disconnect();
		waitUntil(() => !systems.builds.isLoaded(4001), 30, "the build to unload");
		expect(systems.tracker.countOwnedBy(4001)).toBe(0);

		const second = joinBuilder(world, server, 4001, "Keeper");
		expect(sorted(systems.builds.snapshotOf(4001))).toEqual(before);
		waitUntil(() => second.controller.ownObjects().size() === 4, 10, "the client's view of the build");
		waitUntil(() => second.client.game.GetService("Workspace").FindFirstChild(before[0].id, true) !== undefined, 10, "the build streamed in");
	});

	it("restores the build on a second server sharing the DataStore", () => {
		const dataStore = Headless.newDataStore();
		const serverA = world.startServer({ name: "build-a", dataStore });
		systemsOf(serverA).moderation.configure(PERMISSIVE);
		const onA = joinBuilder(world, serverA, 4002, "Mover");
		buildSomething(onA.controller);
		const before = sorted(systemsOf(serverA).builds.snapshotOf(4002));
		onA.client.disconnect();
		waitUntil(() => !systemsOf(serverA).builds.isLoaded(4002), 30, "server A to unload");

		const serverB = world.startServer({ name: "build-b", dataStore });
		joinBuilder(world, serverB, 4002, "Mover");
		expect(sorted(systemsOf(serverB).builds.snapshotOf(4002))).toEqual(before);
	});
});
