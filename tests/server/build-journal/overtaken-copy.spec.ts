import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, loadOnFreshServer, sessionStartedOn } from "../data-backup/backup-world";
import { loadAfterBothCrash, placeChair, removeObject, startTakingOver, startUnawareServer } from "./journal-world";

function sorted(ids: readonly string[]): string[] {
	const copy = [...ids];
	copy.sort();
	return copy;
}

/**
 * A answers revisions 1..3 durable and never learns it was taken over; B takes the session over,
 * replays them and marks them as its own (A still their writer), and its profile saves never land.
 */
function takenOverByB(world: World, dataStore: HeadlessDataStore, userId: number) {
	const a = startUnawareServer(world, dataStore, userId, 3);
	const b = startTakingOver(world, dataStore);
	failProfileWrites(b.server, { from: () => sessionStartedOn(b.server, userId) });
	joinPlayer(world, b.server, userId, 240);
	Headless.seconds(2);
	return { a, b };
}

describe("a copy of the older session's build past the build the newer session loaded (its entries only marked by the newer session)", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is not loaded over the newer session's build: a change the older server took after the takeover stays out", () => {
		const PLAYER = 7962;
		const dataStore = Headless.newDataStore();
		const { a, b } = takenOverByB(world, dataStore, PLAYER);
		const onB = idsOf(b.server, PLAYER);
		// A, unaware, removes its first chair: the entry lands at revision 4 (B wrote none there), answered pending.
		const late = removeObject(a.server, PLAYER, a.ids[0]);
		expect(late).toMatchObject({ success: true, saved: "pending" });
		// A's backup copies its build at revision 4, with that removal.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		const { c, build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(loaderOf(c.server).decisionOf(PLAYER)?.origin).toBe("profile");
		expect(sorted(build)).toEqual(sorted(onB));
	});

	it("is not handed over to a rejoin: what the rejoined session answers durable survives its crash, removals included", () => {
		const PLAYER = 7961;
		const dataStore = Headless.newDataStore();
		const { a, b } = takenOverByB(world, dataStore, PLAYER);
		// A, unaware, takes one more change: its entry lands at revision 4, its claim finds B's: pending.
		expect(placeChair(a.server, PLAYER, 3)).toMatchObject({ success: true, saved: "pending" });
		// On A's server from now on backups fail, and profile writes fail while a session of the player
		// is live there: A's leave save fails, so A's build at revision 4 is held for a hand-over.
		failProfileWrites(a.server, {
			from: () => sessionStartedOn(a.server, PLAYER),
			alsoFailing: (request) => request.name === DataStoreNames.backups && request.isWrite,
		});
		a.client.disconnect();
		Headless.seconds(5);
		Headless.crashServer(b.server);
		// The player comes back to A's server, a session newer than B's, and places one chair and removes A's first.
		joinPlayer(world, a.server, PLAYER, 300);
		expect(loaderOf(a.server).decisionOf(PLAYER)?.origin).never.toBe("handover");
		const placed = placeChair(a.server, PLAYER, 4);
		expect(placed.success).toBe(true);
		const removed = removeObject(a.server, PLAYER, a.ids[0]);
		expect(removed.success).toBe(true);
		Headless.seconds(2);
		Headless.crashServer(a.server);
		const build = new Set(loadOnFreshServer(world, dataStore, PLAYER, "d").build);
		const broken: string[] = [];
		if (placed.success && placed.saved === "durable" && !build.has(placed.placementId)) broken.push(`lost ${placed.placementId}`);
		if (removed.success && removed.saved === "durable" && build.has(a.ids[0])) broken.push(`brought back ${a.ids[0]}`);
		for (const id of a.ids) if (id !== a.ids[0] && !build.has(id)) broken.push(`lost ${id}`);
		expect(broken).toEqual([]);
	});
});
