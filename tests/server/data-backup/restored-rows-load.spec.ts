import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BuildRows, decodeRows } from "server/builds/build-rows";
import type { StoredPlacement } from "server/player-data/player-data";
import { World } from "../../harness/world";
import { joinPlayer, loaderOf, placeChairs, playerOn, profileOn, startGameServer, storedBuild } from "./backup-world";

const USER = 6601;

/** What a build's rows hold, sorted by id, after checking their kept checksum against their bytes. */
function rowsContent(rows: BuildRows): StoredPlacement[] {
	const snapshot = rows.snapshot();
	const out: StoredPlacement[] = [];
	expect(decodeRows(snapshot.rows, 0, snapshot.count, snapshot.items, out)).toBe(rows.checksum());
	return out.sort((a, b) => a.id < b.id);
}

describe("a build restored from a binary backup after a crash", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("keeps the backup's rows as the loaded build's rows, in step with the profile through later changes and the next backup", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "crashes");
		joinPlayer(world, a.server, USER);
		const placed = placeChairs(a.server, USER, 30);
		a.systems.systems.removeObject(playerOn(a.server, USER), placed[4]);
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		const before = storedBuild(a.server, USER);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, USER, 180);
		const decision = loaderOf(b.server).decisionOf(USER)!;
		expect(decision.origin).toBe("backup");
		expect(decision.journalEntries).toBe(0);
		expect(storedBuild(b.server, USER)).toEqual(before);
		const rows = b.systems.builds.rowsOf(USER)!;
		expect(rows.size()).toBe(29);
		expect(rowsContent(rows)).toEqual(before);

		// Later places and removes keep the restored rows and the profile the same build.
		const more = placeChairs(b.server, USER, 5, 40);
		b.systems.systems.removeObject(playerOn(b.server, USER), placed[0]);
		b.systems.systems.removeObject(playerOn(b.server, USER), more[2]);
		const after = storedBuild(b.server, USER);
		expect(after.size()).toBe(29 + 5 - 2);
		expect(rowsContent(rows)).toEqual(after);
		expect(rows.checksum()).toBe(new BuildRows(profileOn(b.server, USER).Data.placements).checksum());

		// The next backup copies those rows, and a third server restores exactly that build.
		expect(b.systems.backups.forceBackup("full").success).toBe(true);
		Headless.crashServer(b.server);
		const c = startGameServer(world, dataStore, "takes-over-again");
		joinPlayer(world, c.server, USER, 180);
		expect(storedBuild(c.server, USER)).toEqual(after);
		expect(rowsContent(c.systems.builds.rowsOf(USER)!)).toEqual(after);
	});
});
