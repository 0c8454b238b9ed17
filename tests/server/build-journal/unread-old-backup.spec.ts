import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { idsOf } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { expectTakenOverWhileUnread, journalOf, loadAfterBothCrash, NOTHING_LOST, savedThenUnaware, startTakingOver, takenOverWhileUnread } from "./journal-world";

const PLAYER = 7721;

describe("a session that starts while the journal cannot be read, while the old server goes on backing up", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("the old server's backup trims entries the late read needs: the late read still loses nothing answered durable and brings back no removal", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked, b } = takenOverWhileUnread(world, dataStore, PLAYER);
		expectTakenOverWhileUnread(acked, b.server, PLAYER);

		// A backs its build up at revision 5: the backup covers revision 4, which A trims as its own.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);

		b.server.memoryStoreFaults().clear();
		waitUntil(() => journalOf(b.server).status().unreadPlayers === 0, 120, "B's late read");
		Headless.seconds(5);

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(3);
	});

	it("the old server journals and backs up between the new session's load read and its claim: the session takes the backup the journal shows", () => {
		const dataStore = Headless.newDataStore();
		const a = savedThenUnaware(world, dataStore, PLAYER);

		// B's first claim takes effect only after A is done: B's load has read the journal by then,
		// and its re-read comes after A's entries, backup and trim.
		const b = startTakingOver(world, dataStore);
		let claims = 0;
		b.server.memoryStoreFaults().filter((request) => {
			if (request.operation !== "UpdateAsync" || request.key !== "claim") return false;
			claims += 1;
			return claims === 1;
		});
		b.server.memoryStoreFaults().setLatency(15);
		world.join(b.server, { userId: PLAYER, name: `Builder${PLAYER}`, runScripts: false });
		waitUntil(() => claims >= 1, 240, "B's load to read the journal and claim it");

		a.acked.remove(a.server, PLAYER, a.ids[0]);
		a.acked.place(a.server, PLAYER, 3);
		expect(a.acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
		// A backs its build up at revision 5: the backup covers revision 4, which A trims as its own.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expect(systemsOf(b.server).builds.isLoaded(PLAYER)).toBe(false);

		waitUntil(() => systemsOf(b.server).builds.isLoaded(PLAYER), 120, "B's build to load");
		expect(a.acked.compare(idsOf(b.server, PLAYER))).toEqual(NOTHING_LOST);
		expect(b.server.output().join("\n")).toContain("build is behind a backup the journal shows: revision 3 -> 5");
		Headless.seconds(5);

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(3);
	});
});
