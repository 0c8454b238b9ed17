import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { loaderOf } from "../data-backup/backup-world";
import { journalOf, loadAfterBothCrash, takenOverWhileUnread } from "./journal-world";

const PLAYER = 7721;

describe("a session that starts while the journal cannot be read, while the old server goes on backing up", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("the old server's backup trims entries the late read needs: the late read still loses nothing answered durable and brings back no removal", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked, b } = takenOverWhileUnread(world, dataStore, PLAYER);
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
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
