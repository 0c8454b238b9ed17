import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { Acknowledged } from "../build-journal/journal-world";
import { idsOf, joinPlayer, manifestOf, startGameServer } from "./backup-world";

const NONE = { lost: 0, resurrected: 0, duplicated: 0 };
/** Jest's test timeout runs on the virtual clock: these specs jump past the lookback. */
const TIMEOUT_MS = 4 * 24 * 3600 * 1000;

describe("retention keeps an unsaved departed player's backup while a load can find it", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a player who left while their profile could not be saved, a minute into an index bucket: the server's full backups just past the lookback keep their backup while loads still read that bucket", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "cannot-save");
		a.systems.backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
		const leaver = 7201;
		const stayer = 7202;
		// The departure backup goes into an index bucket a minute after it opens.
		Headless.skipTime(BackupLimits.indexBucketSeconds - (os.time() % BackupLimits.indexBucketSeconds) + 50);
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
		expect(acked.answers.every((saved) => saved === "durable")).toBe(true);
		client.disconnect();
		Headless.seconds(5);

		// Past the lookback by two minutes: a load still reads the bucket the departure backup is in.
		Headless.skipTime(BackupLimits.indexLookbackSeconds + 120);
		for (let round = 0; round < 3; round++) expect(a.systems.backups.forceBackup("full").success).toBe(true);
		const listed = manifestOf(a.server)!.entries.filter((entry) => entry.players.includes(leaver)).size();

		Headless.crashServer(a.server);
		const b = startGameServer(world, dataStore, "next");
		joinPlayer(world, b.server, leaver, 240);
		expect({ ...acked.compare(idsOf(b.server, leaver)), listed }).toEqual({ ...NONE, listed: 2 });
	}, TIMEOUT_MS);
});
