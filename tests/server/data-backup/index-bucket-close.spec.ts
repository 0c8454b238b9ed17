import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { BackupResult } from "server/data-backup/backup-types";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { Acknowledged, NOTHING_LOST, serverWithChanges } from "../build-journal/journal-world";
import { failProfileWrites, idsOf, joinPlayer, loadOnFreshServer, startWithoutScheduledBackups, untilBucketCloses } from "./backup-world";

/** Jest's test timeout runs on the virtual clock: these specs jump up to two index buckets ahead. */
const TIMEOUT_MS = 24 * 3600 * 1000;

/**
 * `userId`'s session crashes on a server of its own, then the clock moves on into the next index
 * bucket, `beforeClose` seconds before it closes: their next load, long after the crash, searches
 * the backups (reading the index) without waiting for the dead session.
 */
function crashedThenBeforeClose(world: World, dataStore: HeadlessDataStore, userId: number, beforeClose: number) {
	const d = startWithoutScheduledBackups(world, dataStore, "crashed-earlier");
	joinPlayer(world, d.server, userId);
	Headless.crashServer(d.server);
	Headless.skipTime(untilBucketCloses() + BackupLimits.indexBucketSeconds - beforeClose);
}

/**
 * `userId` joins `b` (A, which held them, has crashed): what B loads, and what a fresh server
 * loads after the player left B and B saved, against what was acknowledged.
 */
function loadedOnBThenFresh(world: World, dataStore: HeadlessDataStore, b: HeadlessServer, userId: number, acked: Acknowledged) {
	const client = joinPlayer(world, b, userId, 240);
	const onB = acked.compare(idsOf(b, userId));
	client.disconnect();
	Headless.seconds(10);
	const fresh = acked.compare(loadOnFreshServer(world, dataStore, userId).build);
	return { onB, fresh };
}

describe("the index cache across a bucket's close: a load never misses a backup recorded in a bucket it read before", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a server read the bucket while it was open, then a backup's record landed in it: its load after the bucket closed finds that backup", () => {
		const dataStore = Headless.newDataStore();
		crashedThenBeforeClose(world, dataStore, 7931, 600);
		// B loads a player whose last session crashed, searching the backups: it reads the open bucket.
		const b = startWithoutScheduledBackups(world, dataStore, "read-while-open");
		joinPlayer(world, b.server, 7931);

		// A's backup records 7932 in that bucket, lands, and trims the journal it covers; A's profile
		// saves fail, so the backup is the only copy of the first two chairs.
		const a = serverWithChanges(world, 7932, 3, dataStore, "backs-up", ({ server }) => failProfileWrites(server), startWithoutScheduledBackups);
		const { acked } = a;
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		Headless.seconds(2);
		Headless.crashServer(a.server);

		Headless.skipTime(untilBucketCloses() + 30);
		expect(loadedOnBThenFresh(world, dataStore, b.server, 7932, acked)).toEqual({ onB: NOTHING_LOST, fresh: NOTHING_LOST });
	}, TIMEOUT_MS);

	it("a backup's index write lands after its bucket closed, after a server read the closed bucket: that server's load finds the backup", () => {
		const dataStore = Headless.newDataStore();
		crashedThenBeforeClose(world, dataStore, 7941, 120);
		const b = startWithoutScheduledBackups(world, dataStore, "read-after-close");
		// A's profile saves fail; its index writes fail while `holdIndex` is set (retried with backoff).
		let holdIndex = true;
		const indexWrites = (request: HeadlessDataStoreRequest) => holdIndex && request.name === DataStoreNames.backups && request.scope === "index" && request.isWrite;
		const a = serverWithChanges(world, 7942, 3, dataStore, "late-index", ({ server }) => failProfileWrites(server, { alsoFailing: indexWrites }), startWithoutScheduledBackups);
		const { acked } = a;
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);

		// A's backup starts three seconds before the bucket closes: its record belongs in that bucket.
		Headless.seconds(untilBucketCloses() - 3);
		let backup: BackupResult | undefined;
		task.spawn(() => (backup = a.systems.backups.forceBackup("full")));
		Headless.seconds(4);
		// The bucket has closed: B loads a player whose last session crashed and reads it, without A's record.
		joinPlayer(world, b.server, 7941);
		holdIndex = false;
		waitUntil(() => backup !== undefined, 120, "A's backup");
		expect(backup!.success).toBe(true);
		Headless.seconds(2);
		Headless.crashServer(a.server);

		Headless.seconds(60);
		expect(loadedOnBThenFresh(world, dataStore, b.server, 7942, acked)).toEqual({ onB: NOTHING_LOST, fresh: NOTHING_LOST });
	}, TIMEOUT_MS);
});
