import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey } from "server/build-journal/journal-entry";
import type { BackupResult } from "server/data-backup/backup-types";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { RejectionReason } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, loadOnFreshServer, manifestOf, profileOn, startGameServer, startWithoutScheduledBackups, storedProfileRevision, switchOffScheduledBackups } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { joinWithBackupsUnreadable, journalOf, loadWaits, NOTHING_LOST, placeChair, serverWithChanges } from "./journal-world";

const USER = 7130;

/** The player's profile as the DataStore holds it (what a server loads after a crash). */
/** Server A, whose profile saves never land, with `USER` joined and `changes` placements journaled (answered durable). */
function startWithProfileSavesFailing(world: World, dataStore: HeadlessDataStore, changes: number) {
	const a = serverWithChanges(world, USER, changes, dataStore, "profile-saves-fail", ({ server }) => {
		failProfileWrites(server);
	});
	return { a, acked: a.acked, ids: a.ids };
}

/**
 * Server A, whose profile saves never land, backs the player up after 6 placements: the journal
 * keeps only the newest covered entry. Then a removal and a placement are journaled on top.
 */
function buildCoveredByABackup(world: World, dataStore: HeadlessDataStore) {
	const { a, acked, ids } = startWithProfileSavesFailing(world, dataStore, 6);
	const journal = journalOf(a.server);
	expect(a.server.memoryStoreUsage().items).toBe(6 + 1); // + the session's claim on the journal

	expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
	waitUntil(() => journal.status().entriesTrimmed === 5, 30, "the entries the backup covers to be trimmed");
	// A trimmed entry is set to expire within a second (the only conditional removal a sorted map has).
	Headless.seconds(1);
	expect(a.server.memoryStoreUsage().items).toBe(1 + 1);

	acked.remove(a.server, USER, ids[2]);
	acked.place(a.server, USER, 6);
	expect(acked.answers.filter((answer) => answer !== "durable")).toEqual([]);
	expect(a.server.memoryStoreUsage().items).toBe(3 + 1);
	// The stored profile has none of it: the trimmed changes are in the backup alone.
	expect(storedProfileRevision(a.server, USER)).toBe(0);
	return { a, acked };
}

describe("journal trimming on backups", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("trims the entries a landed backup covers, and a crash then restores them from that backup", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked } = buildCoveredByABackup(world, dataStore);
		Headless.crashServer(a.server);

		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, USER, 180);
		const build = idsOf(b.server, USER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(6);
		const output = b.server.output().join("\n");
		expect(output).toMatch("restored from backup");
		expect(output).toMatch("2 journal entries replayed");
		expect(profileOn(b.server, USER).Data.buildRevision).toBe(8);
		// The successor's save covers everything: its journal holds only its claim again.
		waitUntil(() => b.server.memoryStoreUsage().items === 1, 60, "the journal to be trimmed after the successor's save");
	});

	it("a full backup whose manifest write was stored and then reported failed: the next backup holds every build whole, so a crash restore reaches it", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER, 5, dataStore, "full-stored-then-failed", ({ server, systems }) => {
			switchOffScheduledBackups(systems.backups);
			failProfileWrites(server);
		});
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		a.acked.place(a.server, USER, 5);
		a.acked.place(a.server, USER, 6);
		// Every attempt of the full backup's manifest write is stored, then reported failed.
		const faults = a.server.dataStoreFaults();
		faults.clear();
		faults.filter((request) => request.name === DataStoreNames.backups && request.key === "manifest");
		faults.failAfterWrite(100);
		expect(a.systems.backups.forceBackup("full").success).toBe(false);
		faults.clear();
		failProfileWrites(a.server);
		a.acked.place(a.server, USER, 7);
		a.acked.place(a.server, USER, 8);
		// The next backup lands, and the journal entries it covers are trimmed.
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		waitUntil(() => journalOf(a.server).status().entriesTrimmed > 0, 30, "the entries the backup covers to be trimmed");
		a.acked.place(a.server, USER, 9);
		expect(a.acked.answers.filter((answer) => answer !== "durable")).toEqual([]);

		Headless.crashServer(a.server);
		const { build } = loadOnFreshServer(world, dataStore, USER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(10);
	});

	it("a server that cannot read the backups waits instead of loading the build behind them", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked } = buildCoveredByABackup(world, dataStore);
		Headless.crashServer(a.server);

		const { b, faults } = joinWithBackupsUnreadable(world, dataStore, USER);
		const { builds } = systemsOf(b.server);
		const playerData = b.systems.playerData;
		waitUntil(
			() => b.server.game.GetService("Players").GetPlayerByUserId(USER) !== undefined && loadWaits(b.server),
			180,
			"the load to wait for the backups",
		);
		Headless.seconds(30);
		expect(builds.isLoaded(USER)).toBe(false);
		const player = b.server.game.GetService("Players").GetPlayerByUserId(USER)!;
		expect(playerData.isLoadIncomplete(player)).toBe(true);
		const refused = placeChair(b.server, USER, 9);
		expect(refused.success).toBe(false);
		if (!refused.success) expect(refused.reason).toBe(RejectionReason.DataNotLoaded);
		// Nothing was trimmed or overwritten while it waited.
		expect(b.server.memoryStoreUsage().items).toBe(3 + 1); // + the crashed session's claim, until it expires

		faults.clear();
		waitUntil(() => builds.isLoaded(USER), 120, "the build to load once the backups can be read");
		expect(playerData.isLoadIncomplete(player)).toBe(false);
		const build = idsOf(b.server, USER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(6);
	});

	it("a session that ends while its load waits leaves the backup search as far back as it was: the next load finds the backup without the journal", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked } = buildCoveredByABackup(world, dataStore);
		Headless.crashServer(a.server);
		// The next session starts in a later index bucket than the backup's.
		Headless.skipTime(BackupLimits.indexBucketSeconds + 600);
		const { b, client } = joinWithBackupsUnreadable(world, dataStore, USER);
		waitUntil(() => loadWaits(b.server), 180, "the load to wait for the backups");
		// The player leaves while the load waits: that session's last save lands, its build undecided.
		client.disconnect();
		Headless.seconds(10);

		// The next server cannot read the journal: only the backup brings the trimmed changes back.
		const c = startGameServer(world, dataStore, "journal-unreadable");
		const memory = c.server.memoryStoreFaults();
		memory.filter((request) => !request.isWrite);
		memory.setFailureRate(1, 7);
		joinPlayer(world, c.server, USER, 240);
		expect(loaderOf(c.server).decisionOf(USER)).toMatchObject({ origin: "backup", searchedBackups: true });
		// The backup holds the first six; the removal and placement after it come with the late read.
		expect(idsOf(c.server, USER).size()).toBe(6);
		memory.clear();
		waitUntil(() => !journalOf(c.server).waitsForRead(USER), 120, "the journal's late read");
		expect(acked.compare(idsOf(c.server, USER))).toEqual(NOTHING_LOST);
	}, 12 * 3600 * 1000);

	it("keeps the newest journaled entry a backup covers even when the backup's own revision never reached the journal, so a server that cannot read the backups still waits", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked } = startWithProfileSavesFailing(world, dataStore, 5);
		// The sixth change's journal write fails (answered pending); the backup lands before its retry.
		a.server.memoryStoreFaults().filter((request) => request.operation === "UpdateAsync" && request.key === journalKey(6));
		a.server.memoryStoreFaults().setFailureRate(1, 7);
		const sixth = placeChair(a.server, USER, 5);
		assert(sixth.success, "the sixth change was refused");
		expect(sixth.saved).toBe("pending");
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		Headless.seconds(2);
		// The newest covered entry that reached the journal stays: it shows the build is behind a backup.
		expect(a.server.memoryStoreUsage().items).toBe(1 + 1);
		Headless.crashServer(a.server);

		const { b, faults } = joinWithBackupsUnreadable(world, dataStore, USER);
		waitUntil(() => loadWaits(b.server), 180, "the load to wait for the backups");
		faults.clear();
		const { builds } = systemsOf(b.server);
		waitUntil(() => builds.isLoaded(USER), 120, "the build to load once the backups can be read");
		const build = idsOf(b.server, USER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(6);
	});

	it("a backup taken before the player rejoined and landing after the rejoin trims none of the new session's journal: a crash then loses no change answered durable", () => {
		const dataStore = Headless.newDataStore();
		// Profile writes fail but for the lock of the session a rejoin starts (the player back in the
		// game without a profile yet): only the journal holds the build. Backup writes fail while
		// `backupsHeld` (a write is judged as it is sent, so one sent held fails after its latency).
		let backupsHeld = false;
		let rejoining = false;
		let backupWritesSeen = 0;
		let profileWritesFailed = 0;
		const a = serverWithChanges(world, USER, 4, dataStore, "rejoined", ({ server, systems }) => {
			switchOffScheduledBackups(systems.backups);
			const locking = () => {
				const player = server.game.GetService("Players").GetPlayerByUserId(USER);
				return rejoining && player !== undefined && systems.playerData.getProfile(player) === undefined;
			};
			server.dataStoreFaults().filter((request) => {
				if (!request.isWrite) return false;
				if (request.name === DataStoreNames.backups) {
					backupWritesSeen += 1;
					return backupsHeld;
				}
				if (request.name !== DataStoreNames.playerData || locking()) return false;
				profileWritesFailed += 1;
				return true;
			});
			server.dataStoreFaults().setFailureRate(1, 29);
		});
		const acked = a.acked;
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable"]);

		// A backup of this session's build starts: its first write waits 60 s and fails, and a retry
		// lands once backups are no longer held.
		const faults = a.server.dataStoreFaults();
		backupsHeld = true;
		faults.setLatency(60);
		let backup: BackupResult | undefined;
		task.spawn(() => (backup = a.systems.backups.forceBackup("incremental")));
		waitUntil(() => backupWritesSeen > 0, 5, "the backup's first write to be sent");
		faults.setLatency(0);

		// The player leaves and, while the leave save fails, rejoins: the new session loads the build
		// handed over and marks the journal's entries of it as its own.
		const failedBeforeLeaving = profileWritesFailed;
		a.client.disconnect();
		// After its third failure the leave save waits 4 s: the rejoin's lock is sent before its next attempt.
		waitUntil(() => profileWritesFailed >= failedBeforeLeaving + 3, 60, "the leave save to fail three times");
		rejoining = true;
		joinPlayer(world, a.server, USER, 30);
		expect(a.server.output().join("\n")).toMatch("restored from the session that ended here");
		const rejoinedSession = profileOn(a.server, USER).SessionLoadCount;

		expect(backup).toBeUndefined();
		backupsHeld = false;
		waitUntil(() => backup !== undefined, 60, "the backup to land");
		expect(backup!.success).toBe(true);
		// It holds the build of the session before the rejoin.
		expect(manifestOf(a.server)!.entries[0].sessions).toEqual([rejoinedSession - 1]);
		// The departure backup the leave queued then holds the rejoined session's build, though its
		// revision is the same: a load ranks backups by session, so the one above does not count for it.
		const history = a.systems.backups.status().history;
		waitUntil(() => history.size() >= 2, 30, "the departure backup");
		expect(history[1]).toMatchObject({ success: true, players: 1 });
		expect(manifestOf(a.server)!.entries[1].sessions).toEqual([rejoinedSession]);
		Headless.seconds(2);
		Headless.crashServer(a.server);

		const { build } = loadOnFreshServer(world, dataStore, USER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(4);
	});

	it("a build restored from a backup whose player leaves while the replayed entries are re-marked: the leave save releases the entry kept for the backup, and the journal ends empty", () => {
		const dataStore = Headless.newDataStore();
		const { a, acked } = buildCoveredByABackup(world, dataStore);
		Headless.crashServer(a.server);

		// B rewrites the two replayed entries under its own mark slowly (newest first); its profile saves land at once.
		const b = startWithoutScheduledBackups(world, dataStore, "restores");
		let remarkSent = false;
		b.server.memoryStoreFaults().filter((request) => {
			if (request.operation !== "UpdateAsync" || (request.key !== journalKey(7) && request.key !== journalKey(8))) return false;
			remarkSent = true;
			return true;
		});
		b.server.memoryStoreFaults().setLatency(5);
		const client = world.join(b.server, { userId: USER, name: `Builder${USER}`, runScripts: false });
		waitUntil(() => remarkSent, 180, "the load to re-mark the replayed entries");
		// The leave save covers the whole build and lands before the re-marks do.
		client.disconnect();
		Headless.seconds(30);
		b.server.memoryStoreFaults().clear();
		expect(b.server.output().join("\n")).toMatch("2 journal entries replayed");
		expect(storedProfileRevision(b.server, USER)).toBe(8);

		Headless.seconds(5);
		// Nothing of the player's is left: no entry, no claim, and the journal counts no memory.
		expect(b.server.memoryStoreUsage().items).toBe(0);
		expect(journalOf(b.server).usage().bytesUsed).toBe(0);

		expect(acked.compare(loadOnFreshServer(world, dataStore, USER).build)).toEqual(NOTHING_LOST);
	});
});
