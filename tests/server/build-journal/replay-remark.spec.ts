import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { joinPlayer, profileOn, startGameServer, storedBuild } from "../data-backup/backup-world";
import { journalOf, startUnawareServer } from "./journal-world";

const PLAYER = 7702;

describe("an entry the newer session replays but cannot mark as its own at first", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is marked again shortly after, so the older server's later backup cannot trim it: nothing answered durable is lost", () => {
		const dataStore = Headless.newDataStore();
		// A never learns its session was taken; its backups land.
		const a = startUnawareServer(world, dataStore, PLAYER, 3);
		const acked = a.acked;

		// B takes the session over and replays revisions 1..3; marking revision 2 as its own fails
		// once. B's own profile saves never land either, so only the journal holds the build.
		const b = startGameServer(world, dataStore, "new");
		b.systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
		let remarkRefused = false;
		b.server.memoryStoreFaults().filter((request) => {
			if (remarkRefused || request.operation !== "UpdateAsync" || request.key !== string.format("%012d", 2)) return false;
			remarkRefused = true;
			return true;
		});
		b.server.memoryStoreFaults().setFailureRate(1, 3);
		// Taking the session gets through; every profile write after that fails.
		const sessionStarted = () => {
			const player = b.server.game.GetService("Players").GetPlayerByUserId(PLAYER);
			return player !== undefined && b.systems.playerData.getProfile(player) !== undefined;
		};
		b.server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData && request.isWrite && sessionStarted());
		b.server.dataStoreFaults().setFailureRate(1, 19);
		joinPlayer(world, b.server, PLAYER, 240);
		expect(remarkRefused).toBe(true);
		expect(profileOn(b.server, PLAYER).Data.buildRevision).toBe(3);
		acked.place(b.server, PLAYER, 3);
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable"]);
		Headless.seconds(20);

		// A backs up its build at revision 3: the backup covers revisions up to 3, so A trims the
		// entries below it that are still marked as its own.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expect(journalOf(b.server).status().bytesUsed).toBe(b.server.memoryStoreUsage().bytesUsed);

		Headless.crashServer(a.server);
		Headless.crashServer(b.server);
		const c = startGameServer(world, dataStore, "after");
		joinPlayer(world, c.server, PLAYER, 240);
		const build = storedBuild(c.server, PLAYER).map((placement) => placement.id);
		expect(acked.compare(build)).toEqual({ lost: 0, resurrected: 0, duplicated: 0 });
		expect(build.size()).toBe(4);
	});
});
