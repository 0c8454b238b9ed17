import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, sessionStartedOn, startGameServer, switchOffScheduledBackups } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { Acknowledged, failLeaveSaves, journalOf, loadDecidedWithoutBackups, NOTHING_LOST, rejoinWithHandover, serverWithChanges } from "./journal-world";

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

	it("keeps the hand-over when the player leaves again before their build is decided: the next rejoin still gets a pending change", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER, 2, dataStore, "rejoins");
		// The journal cannot be written or read: the next change is pending, and only the hand-over will hold it.
		const memory = a.server.memoryStoreFaults();
		memory.setFailureRate(1, 5);
		a.acked.place(a.server, USER, 2);
		expect(a.acked.answers).toEqual(["durable", "durable", "pending"]);
		// Its leave save fails, and its departure backup cannot be stored.
		const faults = failLeaveSaves(a.server, true);
		a.client.disconnect();
		waitUntil(() => faults.failures() >= 2, 60, "the leave save to fail");

		// The player rejoins (its session takes the one write it needs) and leaves again while the
		// load still waits on the journal; profile writes land from then on.
		faults.allowed = 1;
		memory.setLatency(10);
		const second = world.join(a.server, { userId: USER, name: `Builder${USER}`, runScripts: false });
		waitUntil(() => sessionStartedOn(a.server, USER), 60, "the second session to start");
		expect(systemsOf(a.server).builds.isLoaded(USER)).toBe(false);
		faults.failing = false;
		second.disconnect();
		Headless.seconds(20);

		// The third session, with the journal still down, loads the hand-over.
		memory.setLatency(0);
		joinPlayer(world, a.server, USER, 120);
		expect(loaderOf(a.server).decisionOf(USER)).toMatchObject({ origin: "handover", revision: 3 });
		const build = idsOf(a.server, USER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(3);
	});

	it("drops a hand-over that a newer session overtook in the journal: the durable change that session made elsewhere loads", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER, 1, dataStore, "hands-over");
		// A can neither save nor journal: the next change is pending, and its hand-over holds it.
		a.server.dataStoreFaults().setFailureRate(1, 5);
		a.server.memoryStoreFaults().filter((request) => request.isWrite);
		a.server.memoryStoreFaults().setFailureRate(1, 6);
		a.acked.place(a.server, USER, 1);
		expect(a.acked.answers).toEqual(["durable", "pending"]);
		a.client.disconnect();
		Headless.seconds(10);
		expect(loaderOf(a.server).heldBuilds()).toBe(1);

		// B takes the session over without the pending change, makes one of its own at the same
		// revision (durable), and crashes before saving it.
		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, USER, 240);
		const onB = new Acknowledged();
		const kept = onB.place(b.server, USER, 2);
		expect(onB.answers).toEqual(["durable"]);
		Headless.crashServer(b.server);

		// The player comes back to A, which can read and save again (its journal writes still fail).
		a.server.dataStoreFaults().clear();
		joinPlayer(world, a.server, USER, 240);
		expect(loaderOf(a.server).decisionOf(USER)!.origin).never.toBe("handover");
		const build = idsOf(a.server, USER);
		expect(onB.compare(build)).toEqual(NOTHING_LOST);
		expect(build).toContain(kept);
		expect(build).toContain(a.ids[0]);
	});
});
