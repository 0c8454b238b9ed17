import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupPresets } from "shared/config/backup-config";
import { dataStoreServer } from "../../harness/data-stores";
import { inBackground, waitUntil, World } from "../../harness/world";
import type { BackupManifest } from "server/data-backup/backup-types";
import { DataStoreNames } from "shared/config/data-stores";
import { joinPlayer, placeChairs, startGameServer, storedBuild } from "./backup-world";

const INCREMENTAL = BackupPresets.highActivity.incrementalInterval;

describe("data safety across crashes, contention and shutdowns", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a crash without BindToClose loses at most one incremental interval of building", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "crashes");
		joinPlayer(world, a.server, 6201);
		// One chair every 7 s for 200 s: past several incrementals, before ProfileStore's first auto-save.
		const placedAt = new Map<string, number>();
		let lastBackupAt = -1;
		a.systems.backups.backupFinished.Connect((result) => {
			if (result.success && result.id !== undefined) lastBackupAt = Headless.now();
		});
		for (let index = 0; index < 29; index++) {
			const [id] = placeChairs(a.server, 6201, 1, index);
			placedAt.set(id, Headless.now());
			Headless.seconds(7);
		}
		const crashedAt = Headless.now();
		Headless.crashServer(a.server);
		expect(lastBackupAt).toBeGreaterThan(0);

		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, 6201, 180);
		const restored = new Set(storedBuild(b.server, 6201).map((placement) => placement.id));
		let earliestLost = crashedAt;
		for (const [id, at] of placedAt) {
			if (!restored.has(id)) earliestLost = math.min(earliestLost, at);
			// Everything placed before the last backup survived.
			if (at < lastBackupAt) expect(restored.has(id)).toBe(true);
		}
		const lossWindow = crashedAt - earliestLost;
		expect(lossWindow).toBeLessThanOrEqual(INCREMENTAL);
		expect(restored.size()).toBeGreaterThan(placedAt.size() - INCREMENTAL / 7 - 1);
		expect(b.server.output().join("\n")).toMatch("restored from backup");
	});

	it("two servers contending for one profile neither duplicate nor lose objects", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "first");
		joinPlayer(world, a.server, 6202);
		placeChairs(a.server, 6202, 6);
		a.systems.backups.forceBackup();
		placeChairs(a.server, 6202, 2, 6);
		const onA = storedBuild(a.server, 6202);

		const b = startGameServer(world, dataStore, "second");
		joinPlayer(world, b.server, 6202, 180);
		expect(a.systems.builds.isLoaded(6202)).toBe(false);
		const onB = storedBuild(b.server, 6202);
		expect(onB).toEqual(onA);
		placeChairs(b.server, 6202, 3, 8);
		const finalBuild = storedBuild(b.server, 6202);

		// Server A backs up the build it handed over; that older backup must not win later.
		a.systems.backups.forceBackup("full");
		Headless.stopServer(b.server);
		const c = startGameServer(world, dataStore, "third");
		joinPlayer(world, c.server, 6202, 180);
		const onC = storedBuild(c.server, 6202);
		expect(onC).toEqual(finalBuild);
		expect(new Set(onC.map((placement) => placement.id)).size()).toBe(11);
	});

	it("a graceful shutdown takes an emergency full backup of every build inside the shutdown window", () => {
		const dataStore = Headless.newDataStore();
		const { server, systems } = startGameServer(world, dataStore, "closing");
		for (const userId of [6203, 6204, 6205]) {
			joinPlayer(world, server, userId);
			placeChairs(server, userId, 10);
		}
		const setId = systems.backups.status().setId;
		const stoppedAt = os.time();
		Headless.stopServer(server);

		const reader = dataStoreServer(world, "reader", dataStore);
		const store = reader.game.GetService("DataStoreService").GetDataStore(DataStoreNames.backups, setId);
		const manifest = store.GetAsync<BackupManifest>("manifest")[0]!;
		const last = manifest.entries[manifest.entries.size() - 1];
		expect(last.kind).toBe("full");
		expect([...last.snapshots].sort()).toEqual([6203, 6204, 6205]);
		expect(last.createdAt - stoppedAt).toBeLessThan(30);
	});

	/** A server with `userId`'s chairs whose next `failures` backup requests fail, and a backup started on them in the background. */
	function backupInRetries(userId: number, failures: number) {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, userId);
		placeChairs(server, userId, 4);
		const faults = server.dataStoreFaults();
		faults.filter((request) => request.name === DataStoreNames.backups);
		faults.failNext(failures);
		return { systems, scheduled: inBackground(() => systems.backups.forceBackup()) };
	}

	it("an emergency backup takes over from a scheduled backup stuck in retries", () => {
		const { systems, scheduled } = backupInRetries(6206, 3);
		Headless.seconds(2);
		const emergency = systems.backups.emergencyBackup();
		expect(emergency.success).toBe(true);
		waitUntil(() => scheduled() !== undefined, 60, "the scheduled backup to give way");
		expect(scheduled()!.success).toBe(false);
		expect(scheduled()!.error).toMatch("emergency");
	});

	it("an emergency backup does not wait out a scheduled backup's retry pause: the pause ends as it starts", () => {
		// The scheduled backup's first request fails 5 times: pauses of about 1, 2, 4 and 8 s, then 16 s.
		const { systems, scheduled } = backupInRetries(6207, 5);
		Headless.seconds(20);
		expect(scheduled()).toBeUndefined();
		// At shutdown the emergency backup has what is left of 30 s: it starts at once.
		const called = time();
		const emergency = systems.backups.emergencyBackup();
		expect(emergency.success).toBe(true);
		// What it waited before it could start (its result times its own run).
		expect(time() - called - emergency.seconds).toBeLessThan(2);
		waitUntil(() => scheduled() !== undefined, 60, "the scheduled backup to give way");
		expect(scheduled()!.error).toMatch("emergency");
	});
});
