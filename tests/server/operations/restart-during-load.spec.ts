import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { NOTHING_LOST, placeChair, serverWithChanges } from "../build-journal/journal-world";
import { idsOf, joinPlayer, profileOn, startGameServer, trackedIds } from "../data-backup/backup-world";
import { controllerOf, systemsOf } from "../placement/placement-world";

const USER_ID = 5301;
const LEAVER_ID = 5302;
const NEXT_ID = 5303;

function sortedKeys(map: ReadonlyMap<string, unknown>): string[] {
	const ids: string[] = [];
	for (const [id] of map) ids.push(id);
	ids.sort();
	return ids;
}

describe("a placementTracker restart while a player's build is still loading", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("tracks only the build the load decided: no object removed durably comes back, the build loads whole", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER_ID, 3, dataStore, "a");
		const acked = a.acked;
		// The stored profile holds the object the journal then removes.
		let savedRevision = -1;
		profileOn(a.server, USER_ID).OnAfterSave.Connect((data) => (savedRevision = data.buildRevision));
		profileOn(a.server, USER_ID).Save();
		waitUntil(() => savedRevision === 3, 30, "the profile save to land");
		acked.remove(a.server, USER_ID, a.ids[0]);
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable"]);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "b");
		// The load's journal read yields long enough for an admin's restart to land inside it.
		b.server.memoryStoreFaults().setLatency(3);
		const playerData = b.systems.playerData;
		const client = world.join(b.server, { userId: USER_ID, name: "Returning" });
		waitUntil(() => playerData.getProfile(client.player) !== undefined, 60, "the profile to load");
		expect(b.systems.builds.isLoaded(USER_ID)).toBe(false);

		let restarted = false;
		const errors = Headless.captureErrors(() => {
			task.spawn(() => {
				restarted = b.systems.systems.restartSystem("placementTracker").success;
			});
			waitUntil(() => restarted && systemsOf(b.server).builds.isLoaded(USER_ID), 60, "the restart and the build load");
			b.server.memoryStoreFaults().clear();
			Headless.seconds(2);
		});

		const stored = idsOf(b.server, USER_ID);
		expect(acked.compare(stored)).toEqual(NOTHING_LOST);
		const tracked = trackedIds(b.server, USER_ID);
		expect(acked.compare(tracked)).toEqual(NOTHING_LOST);
		stored.sort();
		expect(tracked).toEqual(stored);
		expect(sortedKeys(controllerOf(client).ownObjects())).toEqual(stored);
		expect(profileOn(b.server, USER_ID).Data.placements.size()).toBe(2);
		expect(errors).toEqual([]);
	});

	it("leaves nothing of a player who leaves before their build has loaded", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, LEAVER_ID, 3, dataStore, "a2");
		a.client.disconnect();
		Headless.seconds(10);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "b2");
		b.server.memoryStoreFaults().setLatency(3);
		const playerData = b.systems.playerData;
		const leaver = world.join(b.server, { userId: LEAVER_ID, name: "Leaver", runScripts: false });
		waitUntil(() => playerData.getProfile(leaver.player) !== undefined, 60, "the profile to load");
		let restarted = false;
		task.spawn(() => {
			restarted = b.systems.systems.restartSystem("placementTracker").success;
		});
		waitUntil(() => restarted, 10, "the restart");
		expect(b.systems.builds.isLoaded(LEAVER_ID)).toBe(false);
		leaver.disconnect();
		Headless.seconds(10);
		b.server.memoryStoreFaults().clear();

		expect(b.systems.tracker.countOwnedBy(LEAVER_ID)).toBe(0);
		expect(b.systems.tracker.totalObjects()).toBe(0);
		// The plot it held goes to the next player, who can build where the leaver's objects were.
		joinPlayer(world, b.server, NEXT_ID);
		expect(placeChair(b.server, NEXT_ID, 0).success).toBe(true);
	});
});
