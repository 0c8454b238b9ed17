import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { World } from "../../harness/world";
import { Acknowledged, NOTHING_LOST, serverWithChanges, serverWithUnsavedBuild } from "../build-journal/journal-world";
import { failProfileWrites, idsOf, joinPlayer, loadOnFreshServer, manifestOf, startGameServer, startWithoutScheduledBackups, untilBucketCloses } from "./backup-world";

/** Jest's test timeout runs on the virtual clock: these specs jump past the lookback. */
const TIMEOUT_MS = 8 * 24 * 3600 * 1000;

/** Three full backups of `server`, and how many entries of its manifest then list `userId`. */
function fullBackupsListing(server: HeadlessServer, systems: ReturnType<typeof startGameServer>["systems"], userId: number): number {
	for (let round = 0; round < 3; round++) expect(systems.backups.forceBackup("full").success).toBe(true);
	return manifestOf(server)!.entries.filter((entry) => entry.players.includes(userId)).size();
}

/**
 * Lets `seconds` pass in steps, with a full backup of the server after each, as a live server with
 * players takes one every interval: it keeps writing to its set (see BackupLimits.newSetAfterSeconds).
 */
function passWithFullBackups(systems: ReturnType<typeof startGameServer>["systems"], seconds: number) {
	const step = BackupLimits.newSetAfterSeconds / 2;
	for (let left = seconds; left > 0; left -= step) {
		Headless.skipTime(math.min(step, left));
		expect(systems.backups.forceBackup("full").success).toBe(true);
	}
}

/** Crashes `server` and loads `userId` on a fresh one: what it lost or brought back against `acked`. */
function loadedAfterCrash(world: World, dataStore: HeadlessDataStore, server: HeadlessServer, userId: number, acked: Acknowledged) {
	Headless.crashServer(server);
	return acked.compare(loadOnFreshServer(world, dataStore, userId, "next").build);
}

describe("retention never drops a backup a later load needs", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a player who left while their profile could not be saved: the server's later full backups keep the backup holding their build", () => {
		const dataStore = Headless.newDataStore();
		// The player who stays: the next full backups cover only them.
		const { server, systems, client, acked } = serverWithUnsavedBuild(world, dataStore, 7101, 7102);
		client.disconnect();
		Headless.seconds(5);
		fullBackupsListing(server, systems, 7101);
		expect(loadedAfterCrash(world, dataStore, server, 7101, acked)).toEqual(NOTHING_LOST);
	});

	it("a player who left while their profile could not be saved, a minute into an index bucket: the server's full backups just past the lookback keep their backup while loads still read that bucket", () => {
		const dataStore = Headless.newDataStore();
		// The departure backup goes into an index bucket a minute after it opens.
		Headless.skipTime(untilBucketCloses() + 50);
		const { server, systems, client, acked } = serverWithUnsavedBuild(world, dataStore, 7201, 7202);
		client.disconnect();
		Headless.seconds(5);
		// Past the lookback by two minutes: a load still reads the bucket the departure backup is in.
		passWithFullBackups(systems, BackupLimits.indexLookbackSeconds + 120);
		// Still pinned: each of the retained full backups carries their final build.
		const listed = fullBackupsListing(server, systems, 7201);
		expect({ ...loadedAfterCrash(world, dataStore, server, 7201, acked), listed }).toEqual({ ...NOTHING_LOST, listed: 3 });
	}, TIMEOUT_MS);

	it("a player who left with nothing changed since their last backup: past the lookback and the bucket it starts in, retention drops their backups", () => {
		const dataStore = Headless.newDataStore();
		const { server, systems, client } = serverWithUnsavedBuild(world, dataStore, 7411, 7412);
		// Nothing changed since the incremental: the departure backup has nothing of theirs to hold.
		client.disconnect();
		Headless.seconds(5);
		// The incremental's index record is in a bucket older than any a load reads now.
		passWithFullBackups(systems, BackupLimits.indexLookbackSeconds + 2 * BackupLimits.indexBucketSeconds);
		expect(fullBackupsListing(server, systems, 7411)).toBe(0);
	}, TIMEOUT_MS);

	it("a crashed server's set whose newest backup is just past the lookback, in the oldest index bucket a load still reads: retention keeps it while the load needs it", () => {
		const dataStore = Headless.newDataStore();
		const userId = 7111;
		const a = serverWithChanges(world, userId, 3, dataStore, "crashes", ({ server }) => failProfileWrites(server), startWithoutScheduledBackups);
		const { acked } = a;
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		// The newest backup goes into the next index bucket, a minute after it opens.
		Headless.skipTime(untilBucketCloses() + 60);
		for (let index = 3; index < 5; index++) acked.place(a.server, userId, index);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		expect(acked.answers.every((saved) => saved === "durable")).toBe(true);
		Headless.crashServer(a.server);

		// Past the lookback by two minutes: a load still reads that bucket, and the set in it is the newest build.
		Headless.skipTime(BackupLimits.indexLookbackSeconds + 120);
		const other = startGameServer(world, dataStore, "runs-retention");
		other.systems.backups.runRetention();
		joinPlayer(world, other.server, userId, 240);
		expect(acked.compare(idsOf(other.server, userId))).toEqual(NOTHING_LOST);
	}, TIMEOUT_MS);
});
