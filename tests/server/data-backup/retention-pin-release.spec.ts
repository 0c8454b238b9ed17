import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { Acknowledged } from "../build-journal/journal-world";
import { joinPlayer, manifestOf, startGameServer } from "./backup-world";

/** Jest's test timeout runs on the virtual clock: these specs jump past the lookback. */
const TIMEOUT_MS = 8 * 24 * 3600 * 1000;

describe("an unsaved departed player's pin ends once no load can find their backup", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a player who left with nothing changed since their last backup: past the lookback and the bucket it starts in, retention drops their backups", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "cannot-save");
		a.systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
		const leaver = 7411;
		const stayer = 7412;
		const client = joinPlayer(world, a.server, leaver);
		joinPlayer(world, a.server, stayer);
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		faults.setFailureRate(1, 17);
		const acked = new Acknowledged();
		for (let index = 0; index < 3; index++) acked.place(a.server, leaver, index);
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		for (let index = 3; index < 5; index++) acked.place(a.server, leaver, index);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		// Nothing changed since that backup: the departure backup has nothing of theirs to hold.
		client.disconnect();
		Headless.seconds(5);
		const before = manifestOf(a.server)!.entries.size();

		// The incremental's index record is in a bucket older than any a load reads now.
		Headless.skipTime(BackupLimits.indexLookbackSeconds + 2 * BackupLimits.indexBucketSeconds);
		for (let round = 0; round < 3; round++) expect(a.systems.backups.forceBackup("full").success).toBe(true);
		const listed = manifestOf(a.server)!.entries.filter((entry) => entry.players.includes(leaver)).size();
		print(`manifest entries before the lookback ${before}; listing the leaver after it: ${listed}`);
		expect(listed).toBe(0);
	}, TIMEOUT_MS);
});
