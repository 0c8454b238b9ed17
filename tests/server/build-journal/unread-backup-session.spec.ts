import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, joinPlayer, loaderOf, loadOnFreshServer, startWithoutScheduledBackups, switchOffScheduledBackups, untilBucketCloses } from "../data-backup/backup-world";
import { Acknowledged, journalOf, NOTHING_LOST, serverWithChanges } from "./journal-world";

const USER = 7180;
/** Jest's test timeout runs on the virtual clock: this spec jumps into the next index bucket. */
const TIMEOUT_MS = 12 * 3600 * 1000;

/**
 * Server A journals `USER`'s changes (its profile saves never land) with a backup under the last
 * two, then crashes; after the next index bucket starts (so a load lists a later set's backups
 * first), B loads A's backup while it can read neither the journal nor store the profile past its
 * session's lock.
 */
function loadBackupWithJournalUnreadable(world: World, dataStore: HeadlessDataStore) {
	const a = serverWithChanges(world, USER, 3, dataStore, "backs-up", ({ server, systems }) => {
		switchOffScheduledBackups(systems.backups);
		failProfileWrites(server);
	});
	expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
	waitUntil(() => journalOf(a.server).status().entriesTrimmed === 2, 30, "the entries the backup covers to be trimmed");
	a.acked.place(a.server, USER, 3);
	a.acked.remove(a.server, USER, a.ids[0]);
	expect(a.acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
	Headless.crashServer(a.server);
	Headless.skipTime(untilBucketCloses() + 60);

	const b = startWithoutScheduledBackups(world, dataStore, "journal-unreadable");
	b.server.memoryStoreFaults().filter((request) => request.operation === "GetRangeAsync");
	b.server.memoryStoreFaults().setFailureRate(1, 4);
	failProfileWrites(b.server, { allowed: 1 });
	const client = joinPlayer(world, b.server, USER, 240);
	expect(loaderOf(b.server).decisionOf(USER)?.origin).toBe("backup");
	expect(journalOf(b.server).status().unreadPlayers).toBe(1);
	return { acked: a.acked, b, client };
}

/** Loads `USER` on a fresh server and expects exactly what A acknowledged. */
function expectLoadedWhole(world: World, dataStore: HeadlessDataStore, acked: Acknowledged) {
	const { build } = loadOnFreshServer(world, dataStore, USER);
	expect(acked.compare(build)).toEqual(NOTHING_LOST);
	expect(build.size()).toBe(3);
}

describe("a session that loads a backup while the journal cannot be read and cannot store the profile", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("backs the build up and crashes: its backup does not outrank the older session's journaled changes above that backup", () => {
		const dataStore = Headless.newDataStore();
		const { acked, b } = loadBackupWithJournalUnreadable(world, dataStore);
		expect(b.systems.backups.forceBackup("full").success).toBe(true);
		Headless.crashServer(b.server);
		expectLoadedWhole(world, dataStore, acked);
	}, TIMEOUT_MS);

	it("the player leaves: the departure backup does not outrank the older session's journaled changes above that backup", () => {
		const dataStore = Headless.newDataStore();
		const { acked, b, client } = loadBackupWithJournalUnreadable(world, dataStore);
		client.disconnect();
		waitUntil(() => b.systems.backups.status().backupsTaken === 1, 30, "the departure backup");
		Headless.crashServer(b.server);
		expectLoadedWhole(world, dataStore, acked);
	}, TIMEOUT_MS);
});
