import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { ObjectStreamingService } from "server/object-streaming/object-streaming-service";
import type { RecoveryReport } from "server/data-backup/backup-types";
import { DataStoreNames } from "shared/config/data-stores";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { backupStore, joinPlayer, manifestOf, placeChairs, playerOn, startGameServer, storedBuild, trackedIds } from "./backup-world";

describe("recovery from backups", () => {
	const world = new World();
	afterEach(() => world.stop());

	function setUp() {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 6101);
		joinPlayer(world, server, 6102);
		placeChairs(server, 6101, 12);
		placeChairs(server, 6102, 7);
		return { server, systems };
	}

	function wipe(server: HeadlessServer, userId: number, systems: ReturnType<typeof setUp>["systems"]) {
		for (const id of trackedIds(server, userId)) systems.systems.removeObject(playerOn(server, userId), id);
		placeChairs(server, userId, 1, 30);
	}

	it("backup, wipe, recover: one player's build is deep-equal to the original, live and stored", () => {
		const { server, systems } = setUp();
		const original = storedBuild(server, 6101);
		const other = storedBuild(server, 6102);
		systems.backups.forceBackup();
		wipe(server, 6101, systems);

		const preview = systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: 6101 }, { preview: true });
		expect(preview.players[0].status).toBe("preview");
		expect(preview.players[0].added).toBe(12);
		expect(preview.players[0].removed).toBe(1);
		expect(storedBuild(server, 6101).size()).toBe(1);

		const report = systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: 6101 });
		expect(report.players[0].status).toBe("recovered");
		expect(report.players[0].objectsAfter).toBe(12);
		expect(storedBuild(server, 6101)).toEqual(original);
		expect(trackedIds(server, 6101)).toEqual(original.map((placement) => placement.id));
		// Live in the world: the server keeps it as streamed data (no server Model).
		const streaming = singletonOf<ObjectStreamingService>(server, "ServerScriptService.TS.object-streaming.object-streaming-service", "ObjectStreamingService");
		expect(streaming.chunkOfPlacement(original[0].id)).toBeDefined();
		expect(storedBuild(server, 6102)).toEqual(other);
	});

	it("backup, wipe, recover: every online player's build is deep-equal to the original", () => {
		const { server, systems } = setUp();
		const originals = [storedBuild(server, 6101), storedBuild(server, 6102)];
		systems.backups.forceBackup();
		wipe(server, 6101, systems);
		wipe(server, 6102, systems);

		const report = systems.systems.recoverFromBackup("LATEST", { kind: "everyone" });
		expect(report.players.map((player) => player.status)).toEqual(["recovered", "recovered"]);
		expect([storedBuild(server, 6101), storedBuild(server, 6102)]).toEqual(originals);
		// The recovered builds are the new baseline: the next backup holds them.
		expect(systems.backups.forceBackup().players).toBe(2);
	});

	it("recovers to a chosen backup id, replaying the incrementals up to it", () => {
		const { server, systems } = setUp();
		systems.backups.forceBackup("full");
		placeChairs(server, 6101, 3, 12);
		const middle = storedBuild(server, 6101);
		const target = systems.backups.forceBackup().id!;
		placeChairs(server, 6101, 2, 15);
		systems.backups.forceBackup();

		const report = systems.systems.recoverFromBackup(target, { kind: "player", userId: 6101 });
		expect(report.players[0].usedBackupId).toBe(target);
		expect(storedBuild(server, 6101)).toEqual(middle);
		expect(systems.systems.recoverFromBackup("1_999", { kind: "player", userId: 6101 }).players[0].status).toBe("noBackup");
	});

	it("detects a corrupted incremental, skips it and says so, falling back to the previous good backup", () => {
		const { server, systems } = setUp();
		const good = storedBuild(server, 6101);
		const goodId = systems.backups.forceBackup().id!;
		placeChairs(server, 6101, 2, 12);
		const badId = systems.backups.forceBackup().id!;

		const store = backupStore(server, manifestOf(server)!.setId);
		// One bit flips in the last row's bytes (the payload ends with that player's removal count and checksum).
		const [chunk] = store.GetAsync<buffer>(`${badId}/1`);
		const at = buffer.len(chunk!) - 12;
		buffer.writeu8(chunk!, at, bit32.bxor(buffer.readu8(chunk!, at), 1));
		store.SetAsync(`${badId}/1`, chunk!);

		const report = systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: 6101 });
		const outcome = report.players[0];
		expect(outcome.status).toBe("recovered");
		expect(outcome.usedBackupId).toBe(goodId);
		expect(outcome.skipped.size()).toBe(1);
		expect(outcome.skipped[0].id).toBe(badId);
		expect(outcome.skipped[0].problem).toMatch("checksum");
		expect(outcome.message).toMatch("corrupt");
		expect(storedBuild(server, 6101)).toEqual(good);
	});

	it("falls back to the previous full backup when the newest full backup lost a chunk", () => {
		const { server, systems } = setUp();
		const good = storedBuild(server, 6102);
		const goodId = systems.backups.forceBackup("full").id!;
		placeChairs(server, 6102, 2, 12);
		const badId = systems.backups.forceBackup("full").id!;
		backupStore(server, manifestOf(server)!.setId).RemoveAsync(`${badId}/1`);

		const outcome = systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: 6102 }).players[0];
		expect(outcome.usedBackupId).toBe(goodId);
		expect(outcome.skipped[0].problem).toMatch("missing");
		expect(storedBuild(server, 6102)).toEqual(good);
	});

	it("reports a player who leaves while their backups are read as not loaded, and recovers everyone else", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		const leaving = joinPlayer(world, server, 6101);
		joinPlayer(world, server, 6102);
		placeChairs(server, 6101, 3);
		placeChairs(server, 6102, 4);
		const other = storedBuild(server, 6102);
		const backupId = systems.backups.forceBackup().id!;
		wipe(server, 6102, systems);

		// Backup reads take 0.2 s each: the first player leaves while theirs are read.
		const faults = server.dataStoreFaults();
		faults.filter((request) => request.name === DataStoreNames.backups && !request.isWrite);
		faults.setLatency(0.2);
		let report: RecoveryReport | undefined;
		task.spawn(() => (report = systems.systems.recoverFromBackup(backupId, { kind: "everyone" })));
		Headless.seconds(0.5);
		leaving.disconnect();
		waitUntil(() => report !== undefined, 60, "the recovery's report");
		expect(report!.players.map((player) => player.status)).toEqual(["notLoaded", "recovered"]);
		expect(report!.players[0].message).toMatch("changed while the backups were read");
		expect(storedBuild(server, 6102)).toEqual(other);
	});

	it("reports a player whose build is not loaded here instead of touching their data", () => {
		const { systems } = setUp();
		const outcome = systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: 424242 }).players[0];
		expect(outcome.status).toBe("notLoaded");
	});
});
