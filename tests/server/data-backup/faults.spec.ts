import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { drainWriteBudget, joinPlayer, placeChairs, startGameServer, storedBuild, trackedIds } from "./backup-world";

const onlyBackups = (request: HeadlessDataStoreRequest) => request.name === DataStoreNames.backups;

describe("backups under DataStore faults", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("with 30 % of requests failing and slow responses, builds stay complete and backups get through", () => {
		const dataStore = Headless.newDataStore();
		const { server, systems } = startGameServer(world, dataStore, "flaky");
		const faults = server.dataStoreFaults();
		faults.setFailureRate(0.3, 11);
		faults.setLatency(0.5);
		const players = [6301, 6302, 6303];
		for (const userId of players) joinPlayer(world, server, userId, 180);
		let successes = 0;
		for (let round = 0; round < 4; round++) {
			for (const userId of players) placeChairs(server, userId, 2, round * 2);
			if (systems.backups.forceBackup().success) successes += 1;
			Headless.seconds(10);
		}
		expect(successes).toBeGreaterThan(0);
		expect(systems.backups.status().retries).toBeGreaterThan(0);
		for (const userId of players) {
			expect(storedBuild(server, userId).map((placement) => placement.id)).toEqual(trackedIds(server, userId));
			expect(trackedIds(server, userId).size()).toBe(8);
		}
		const expected = players.map((userId) => storedBuild(server, userId));

		// Everything is where it belongs: the builds come back from the profiles on another server,
		// and from the backups after a wipe.
		Headless.stopServer(server);
		const steady = startGameServer(world, dataStore, "steady");
		for (const userId of players) joinPlayer(world, steady.server, userId, 180);
		expect(players.map((userId) => storedBuild(steady.server, userId))).toEqual(expected);
		for (const userId of players) {
			steady.systems.recovery.recoverFromBackup("LATEST", { kind: "player", userId });
		}
		expect(players.map((userId) => storedBuild(steady.server, userId))).toEqual(expected);
	});

	it("a write stored but reported as failed is retried without corrupting the backup", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 6304);
		placeChairs(server, 6304, 5);
		const original = storedBuild(server, 6304);
		const faults = server.dataStoreFaults();
		faults.filter(onlyBackups);
		faults.failAfterWrite(2);
		const result = systems.backups.forceBackup();
		expect(result.success).toBe(true);
		expect(result.retries).toBe(2);
		faults.clear();
		for (const id of trackedIds(server, 6304)) systems.systems.removeObject(server.game.GetService("Players").GetPlayerByUserId(6304)!, id);
		systems.recovery.recoverFromBackup("LATEST", { kind: "player", userId: 6304 });
		expect(storedBuild(server, 6304)).toEqual(original);
	});

	it("consecutive failures degrade health without crashing, and the next success carries every change", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 6305);
		const faults = server.dataStoreFaults();
		faults.filter(onlyBackups);
		faults.failNext(1000);
		const expectedHealth = ["degraded", "degraded", "failing"];
		for (let attempt = 0; attempt < 3; attempt++) {
			placeChairs(server, 6305, 2, attempt * 2);
			const result = systems.backups.forceBackup();
			expect(result.success).toBe(false);
			expect(result.requests).toBe(BackupLimits.maxAttempts);
			expect(systems.systems.health().dataBackup.health).toBe(expectedHealth[attempt]);
		}
		expect(systems.systems.health().overall).toBe("failing");
		expect(systems.backups.status().lastError).toMatch("failed after");
		expect(storedBuild(server, 6305).size()).toBe(6);

		faults.clear();
		const recovered = systems.backups.forceBackup();
		expect(recovered.success).toBe(true);
		expect(recovered.placements).toBe(6);
		expect(systems.systems.health().overall).toBe("healthy");
	});

	it("leaves ProfileStore its share of the write budget: a scheduled backup waits while the budget is low", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 6306);
		placeChairs(server, 6306, 3);
		drainWriteBudget(server);
		let result: ReturnType<typeof systems.backups.forceBackup> | undefined;
		task.spawn(() => (result = systems.backups.forceBackup()));
		Headless.seconds(1);
		expect(result).toBeUndefined();
		expect(systems.backups.status().inProgress).toBe(true);
		waitUntil(() => result !== undefined, 120, "the backup once budget is back");
		expect(result!.success).toBe(true);
	});
});
