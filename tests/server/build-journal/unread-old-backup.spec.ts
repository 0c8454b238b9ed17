import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { joinPlayer, loaderOf, profileOn } from "../data-backup/backup-world";
import { journalOf, loadAfterBothCrash, serverWithChanges, startTakingOver } from "./journal-world";

const PLAYER = 7721;

describe("a session that starts while the journal cannot be read, while the old server goes on backing up", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("the old server's backup trims entries the late read needs: the late read still loses nothing answered durable and brings back no removal", () => {
		const dataStore = Headless.newDataStore();
		// A stores three chairs in the profile (revision 3), then never learns it is taken over: its
		// profile saves fail and it misses every message; its journal works and its backups land.
		const a = serverWithChanges(world, PLAYER, 3, dataStore, "old", ({ systems }) =>
			systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 }),
		);
		profileOn(a.server, PLAYER).Save();
		waitUntil(() => journalOf(a.server).status().entriesTrimmed === 3, 30, "A's save to trim the journal");
		a.server.dataStoreFaults().filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		a.server.dataStoreFaults().setFailureRate(1, 17);
		a.server.setDropsMessages(true);
		const acked = a.acked;
		acked.remove(a.server, PLAYER, a.ids[0]);
		acked.place(a.server, PLAYER, 3);
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);

		// B takes the session over while it cannot read the journal (revisions 4 and 5 are there).
		const b = startTakingOver(world, dataStore);
		b.server.memoryStoreFaults().filter((request) => request.operation === "GetRangeAsync");
		b.server.memoryStoreFaults().setFailureRate(1, 4);
		joinPlayer(world, b.server, PLAYER, 240);
		expect(loaderOf(b.server).decisionOf(PLAYER)?.revision).toBe(3);
		expect(journalOf(b.server).status().unreadPlayers).toBe(1);

		// A backs its build up at revision 5: the backup covers revision 4, which A trims as its own.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);

		b.server.memoryStoreFaults().clear();
		waitUntil(() => journalOf(b.server).status().unreadPlayers === 0, 120, "B's late read");
		Headless.seconds(5);

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(acked.compare(build)).toEqual({ lost: 0, resurrected: 0, duplicated: 0 });
		expect(build.size()).toBe(3);
	});
});
