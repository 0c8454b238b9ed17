import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { Acknowledged } from "../build-journal/journal-world";
import { idsOf, joinPlayer, startGameServer } from "./backup-world";

const NONE = { lost: 0, resurrected: 0, duplicated: 0 };
/** Jest's test timeout runs on the virtual clock: the second spec jumps past the lookback. */
const TIMEOUT_MS = 4 * 24 * 3600 * 1000;

describe("retention never drops a backup a later load needs", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a player who left while their profile could not be saved: the server's later full backups keep the backup holding their build", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "cannot-save");
		a.systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
		const leaver = 7101;
		const stayer = 7102;
		const client = joinPlayer(world, a.server, leaver);
		joinPlayer(world, a.server, stayer);
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		faults.setFailureRate(1, 11);
		const acked = new Acknowledged();
		for (let index = 0; index < 3; index++) acked.place(a.server, leaver, index);
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		for (let index = 3; index < 5; index++) acked.place(a.server, leaver, index);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		expect(acked.answers.every((saved) => saved === "durable")).toBe(true);
		client.disconnect();
		Headless.seconds(5);
		// The server goes on with the player who stayed: its next full backups cover only them.
		for (let round = 0; round < 3; round++) expect(a.systems.backups.forceBackup("full").success).toBe(true);

		Headless.crashServer(a.server);
		const b = startGameServer(world, dataStore, "next");
		joinPlayer(world, b.server, leaver, 240);
		expect(acked.compare(idsOf(b.server, leaver))).toEqual(NONE);
	});

	it("a crashed server's set whose newest backup is just past the lookback, in the oldest index bucket a load still reads: retention keeps it while the load needs it", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "crashes");
		a.systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
		const userId = 7111;
		joinPlayer(world, a.server, userId);
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		faults.setFailureRate(1, 13);
		const acked = new Acknowledged();
		for (let index = 0; index < 3; index++) acked.place(a.server, userId, index);
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		// The newest backup goes into the next index bucket, a minute after it opens.
		Headless.skipTime(BackupLimits.indexBucketSeconds - (os.time() % BackupLimits.indexBucketSeconds) + 60);
		for (let index = 3; index < 5; index++) acked.place(a.server, userId, index);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		expect(acked.answers.every((saved) => saved === "durable")).toBe(true);
		Headless.crashServer(a.server);

		// Past the lookback by two minutes: a load still reads that bucket, and the set in it is the newest build.
		Headless.skipTime(BackupLimits.indexLookbackSeconds + 120);
		const other = startGameServer(world, dataStore, "runs-retention");
		other.systems.backups.runRetention();
		joinPlayer(world, other.server, userId, 240);
		expect(acked.compare(idsOf(other.server, userId))).toEqual(NONE);
	}, TIMEOUT_MS);
});
