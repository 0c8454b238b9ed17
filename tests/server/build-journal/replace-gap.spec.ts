import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { idsOf, joinPlayer, startGameServer } from "../data-backup/backup-world";
import { journalOf, NOTHING_LOST, serverWithChanges } from "./journal-world";
import { systemsOf } from "../placement/placement-world";

const PLAYER = 7301;

describe("a recovery replaces a build before its save lands", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a replaced build is answered durable as soon as its save lands, not at the write timeout", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, PLAYER, 3, dataStore, "replaces-in-time");
		// Past the profile key's write cooldown (one write per 6 s), so the save is not held back.
		Headless.seconds(7);
		// Every DataStore write takes a second: the save lands well inside the write timeout.
		a.server.dataStoreFaults().filter((request) => request.isWrite);
		a.server.dataStoreFaults().setLatency(1);
		const startedAt = Headless.now();
		const answer = systemsOf(a.server).builds.replaceBuild(PLAYER, []);
		const answeredAfter = Headless.now() - startedAt;
		const timeout = journalOf(a.server).currentConfig().writeTimeoutSeconds;
		expect({ answer, afterTheSave: answeredAfter >= 1, beforeTheTimeout: answeredAfter < timeout - 0.5 }).toEqual({
			answer: "durable",
			afterTheSave: true,
			beforeTheTimeout: true,
		});
	});

	it("changes after it stay pending until its save lands, the save is retried, and a crash then loses and brings back nothing", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, PLAYER, 4, dataStore, "recovers");
		const { acked, ids } = a;
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		// Changes after the backup, which the recovery takes back.
		const afterBackup = acked.place(a.server, PLAYER, 4);
		acked.remove(a.server, PLAYER, ids[0]);

		// The recovery's own save cannot land: every DataStore write fails for a while (reads work).
		a.server.dataStoreFaults().filter((request) => request.isWrite);
		a.server.dataStoreFaults().setFailureRate(1, 11);
		const report = a.systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: PLAYER });
		expect(report.players[0].status).toBe("recovered");
		expect(report.players[0].saved).toBe("pending");
		expect(report.players[0].message).toMatch("a crash before it does undoes this");
		// What the player now has is the backup's build.
		acked.standing.delete(afterBackup);
		acked.removed.add(afterBackup);
		acked.standing.add(ids[0]);
		acked.removed.delete(ids[0]);
		const first = acked.answers.size();
		acked.place(a.server, PLAYER, 5);
		acked.place(a.server, PLAYER, 6);
		expect([acked.answers[first], acked.answers[first + 1]]).toEqual(["pending", "pending"]);
		expect(journalOf(a.server).status().pendingPlayers).toBe(1);

		// The DataStore comes back; nobody saves by hand and the player does nothing more.
		Headless.seconds(5);
		a.server.dataStoreFaults().clear();
		Headless.seconds(20);
		expect(journalOf(a.server).status().pendingPlayers).toBe(0);

		Headless.crashServer(a.server);
		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, PLAYER, 180);
		const build = idsOf(b.server, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(6);
	});
});
