import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, startGameServer, switchOffScheduledBackups } from "../data-backup/backup-world";
import { journalOf, loadDecidedWithoutBackups, NOTHING_LOST, rejoinWithHandover, serverWithChanges } from "./journal-world";

const USER = 7140;

describe("the build journal across a hand-over", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("keeps the journal entries of a handed-over build until a save covers them: a crash before any save loses nothing", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER, 4, dataStore, "hands-over");
		const { acked, ids } = a;
		acked.remove(a.server, USER, ids[0]);

		expect(rejoinWithHandover(world, a.server, a.client, USER).origin).toBe("handover");
		acked.place(a.server, USER, 4);
		expect(acked.answers.filter((answer) => answer !== "durable")).toEqual([]);
		// The handed-over changes are still journaled: the stored profile has none of them.
		expect(a.server.memoryStoreUsage().items).toBe(6 + 1); // + the session's claim on the journal
		expect(journalOf(a.server).status().entriesTrimmed).toBe(0);

		Headless.crashServer(a.server);
		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, USER, 180);
		const build = idsOf(b.server, USER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(4);
	});

	it("a change after a hand-over whose journal starts above a gap a backup trimmed is made durable by the next backup while profile saves fail", () => {
		const dataStore = Headless.newDataStore();
		// Profile saves never land: the stored profile stays at revision 0. A backup covers six
		// placements and trims all but the newest entry; two more are journaled on top.
		const a = serverWithChanges(world, USER, 6, dataStore, "hands-over", ({ server, systems }) => {
			switchOffScheduledBackups(systems.backups);
			failProfileWrites(server);
		});
		const journal = journalOf(a.server);
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		waitUntil(() => journal.status().entriesTrimmed === 5, 30, "the entries the backup covers to be trimmed");
		a.acked.place(a.server, USER, 6);
		a.acked.place(a.server, USER, 7);
		expect(a.acked.answers.filter((answer) => answer !== "durable")).toEqual([]);

		// The rejoin continues the stale profile with entries 6 to 8: the ones below were trimmed.
		expect(rejoinWithHandover(world, a.server, a.client, USER)).toMatchObject({ origin: "handover", savedRevision: 0, revision: 8 });
		// Backups can be written again; profile saves still fail.
		failProfileWrites(a.server);
		const answers = a.acked.answers;
		a.acked.place(a.server, USER, 8);
		expect(answers[answers.size() - 1]).toBe("pending");

		// The backup's kept entry shows a server that cannot read the backups that it must wait for them.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		expect(journal.durabilityOf(USER, 9)).toBe("durable");
		expect(journal.status().pendingPlayers).toBe(0);
		a.acked.place(a.server, USER, 9);
		expect(answers[answers.size() - 1]).toBe("durable");

		Headless.crashServer(a.server);
		const { build } = loadDecidedWithoutBackups(world, dataStore, USER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(10);
	});
});
