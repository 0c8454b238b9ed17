import { OnStart, Service } from "@flamework/core";
import Signal from "@rbxts/signal";
import { FrameBudget } from "server/performance/frame-budget";
import { BuildService } from "server/builds/build-service";
import { BuildJournalService } from "server/build-journal/build-journal-service";
import { PlayerDataService } from "server/player-data/player-data-service";
import { BackupConfig, BackupLimits, BackupPresets, BackupSchedule } from "shared/config/backup-config";
import { BackupArchive, digestOf } from "./backup-archive";
import { bucketOf, needsNewSet, oldestReadBucketStart } from "./backup-index";
import { BackupRetention, RetentionReport } from "./backup-retention";
import { BINARY_FORMAT, encodeBinaryPayload, splitBuffer } from "./binary-codec";
import { BackupRequests, profileSaveReserve, RequestTally } from "./backup-requests";
import { BackupHealth, BackupKind, BackupPriority, BackupResult, BackupStatus, ManifestEntry } from "./backup-types";
import { BuildSource, ChangeCapture } from "./change-capture";
import { SystemRegistry } from "server/system-manager/system-registry";

function isPositive(value: number): boolean {
	return value === value && value > 0 && value < math.huge;
}

/**
 * Backs up every build on this server to a DataStore of its own: incrementals (what changed)
 * and full backups on the configured intervals, an emergency full backup on shutdown, all
 * without starving ProfileStore's saves. Failures are retried and reported, never thrown.
 */
@Service()
export class DataBackupService implements OnStart {
	/** Fires after every backup attempt, successful or not. */
	readonly backupFinished = new Signal<(result: BackupResult) => void>();

	private config: BackupConfig = { ...BackupPresets[BackupSchedule.preset] };
	private readonly changes = new ChangeCapture();
	/** Players this set's index record already lists, per index bucket. */
	private readonly indexed = new Map<number, Set<number>>();
	private departureBackupQueued = false;
	/**
	 * Players who left here whose final build is not saved to their profile yet (each departure its
	 * own token): every full backup carries their final build (see ChangeCapture.pending) and
	 * retention keeps their newest backup until one does (see BackupArchive.commitEntry), until that
	 * save lands, or while a load may still find it (lastBackedUp, which a carried copy does not
	 * move, in a bucket loads still read; for good while this set has none of theirs).
	 */
	private readonly unsavedDepartures = new Map<number, object>();
	/** When this server's set last showed it is alive: its newest committed backup, or the first one tried in it (createdAt). */
	private setAliveAt?: number;
	/** When a backup of this set last listed each player (its createdAt). */
	private readonly lastBackedUp = new Map<number, number>();
	private readonly retention: BackupRetention;
	private lastRetention?: RetentionReport;
	private readonly history: BackupResult[] = [];
	private readonly idle = new Signal<() => void>();
	/** Fired when an emergency backup starts to want the DataStore: normal requests' retry waits end. */
	private readonly emergencyWanted = new Signal<() => void>();
	private readonly requests: BackupRequests;
	private sequence = 0;
	private scheduleGeneration = 0;
	private busy = false;
	/** The id of the backup being written, until its attempt ends. */
	private writing?: string;
	private emergencyWaiting = 0;
	private lastFullAt = 0;
	private lastAttemptAt = 0;
	private consecutiveFailures = 0;
	private backupsTaken = 0;
	private failedBackups = 0;
	private retries = 0;
	private lastBackupId?: string;
	private lastSuccessAt?: number;
	private lastError?: string;

	constructor(
		private readonly playerData: PlayerDataService,
		private readonly archive: BackupArchive,
		private readonly builds: BuildService,
		private readonly journal: BuildJournalService,
		private readonly registry: SystemRegistry,
	) {
		this.requests = new BackupRequests(
			() => profileSaveReserve(this.playerData.loadedProfiles().size()),
			() => this.emergencyWaiting > 0,
			(wake) => {
				const connection = this.emergencyWanted.Connect(wake);
				return () => connection.Disconnect();
			},
		);
		archive.useRequests(this.requests);
		this.retention = new BackupRetention(archive);
	}

	onStart() {
		this.registry.connect("dataBackup", this.playerData.profileReleased, "profileReleased", (player, profile, buildDecided) => {
			// A build that never loaded is not the player's build: nothing to back up.
			if (!buildDecided) return;
			const userId = player.UserId;
			const revision = profile.Data.buildRevision;
			this.changes.sessionEnded({ userId, placements: profile.Data.placements, revision, session: profile.Data.buildSession });
			const departure = {};
			this.unsavedDepartures.set(userId, departure);
			const saved = profile.OnAfterSave.Connect((data) => {
				if (data.buildRevision < revision) return;
				saved.Disconnect();
				// Only this departure's pin: a later one of the same player (a rejoin here) has its own.
				if (this.unsavedDepartures.get(userId) === departure) this.unsavedDepartures.delete(userId);
			});
			this.queueDepartureBackup();
		});
		game.BindToClose(() => {
			// Sessions ended by the shutdown report their final builds through deferred events: let them land.
			task.wait();
			this.emergencyBackup();
		});
		this.restartSchedule();
		task.spawn(() => {
			// Servers started together spread their runs over the interval.
			task.wait(new Random().NextNumber(0.25, 1) * BackupLimits.retentionInterval);
			for (;;) {
				this.runRetention();
				task.wait(BackupLimits.retentionInterval);
			}
		});
	}

	/**
	 * Deletes orphaned chunks of this set and the backups of servers gone longer than the lookback,
	 * never anything a manifest or a readable index record points at. `now` is for specs.
	 */
	runRetention(now = os.time()): RetentionReport | undefined {
		const tally: RequestTally = { requests: 0, retries: 0 };
		// Taken before the run reads the manifest: a backup that commits during the run is not listed in what it read.
		const writing = this.writing;
		const [ok, report] = pcall(() => this.retention.run(now, tally, writing));
		if (!ok) {
			warn(`backup retention stopped: ${report}`);
			return undefined;
		}
		this.lastRetention = report;
		return report;
	}

	/**
	 * A session that ended leaves its final build to a backup soon, so the next server to load the
	 * player finds it even when the profile's last save did not get through.
	 */
	private queueDepartureBackup() {
		if (this.departureBackupQueued) return;
		this.departureBackupQueued = true;
		task.delay(BackupLimits.departureBackupDelay, () => {
			this.departureBackupQueued = false;
			if (this.changes.hasDeparted()) this.takeBackup("incremental", "normal");
		});
	}

	/** Changes the intervals, retention or chunk size; the schedule restarts from now. */
	configure(config: Partial<BackupConfig>) {
		const merged = { ...this.config, ...config };
		assert(isPositive(merged.incrementalInterval) && isPositive(merged.fullBackupInterval), "backup intervals must be positive seconds");
		assert(merged.retainFullBackups >= 1 && merged.retainFullBackups % 1 === 0, "at least one full backup must be kept");
		assert(merged.chunkCharacters >= 1024 && merged.chunkCharacters <= 4_000_000, "chunks must be between 1 KB and 4 MB");
		this.config = merged;
		this.restartSchedule();
	}

	currentConfig(): Readonly<BackupConfig> {
		return this.config;
	}

	/** Backs up now: an incremental by default, or a full backup. */
	forceBackup(kind: BackupKind = "incremental"): BackupResult {
		return this.takeBackup(kind, "normal");
	}

	/**
	 * An immediate full backup at top priority: a scheduled backup in progress gives way, the
	 * budget reserve for profile saves is ignored and retries are short, to finish in the shutdown
	 * window.
	 */
	emergencyBackup(): BackupResult {
		return this.takeBackup("full", "emergency");
	}

	status(): BackupStatus {
		return {
			health: this.health(),
			config: this.config,
			setId: this.archive.setId,
			consecutiveFailures: this.consecutiveFailures,
			backupsTaken: this.backupsTaken,
			failedBackups: this.failedBackups,
			retries: this.retries,
			inProgress: this.busy,
			lastBackupId: this.lastBackupId,
			lastSuccessAt: this.lastSuccessAt,
			lastError: this.lastError,
			history: this.history,
			lastRetention: this.lastRetention,
		};
	}

	private health(): BackupHealth {
		if (this.consecutiveFailures === 0) return "healthy";
		return this.consecutiveFailures >= BackupLimits.failingAfter ? "failing" : "degraded";
	}

	private restartSchedule() {
		this.scheduleGeneration += 1;
		const generation = this.scheduleGeneration;
		this.lastFullAt = time();
		this.lastAttemptAt = time();
		task.spawn(() => this.runSchedule(generation));
	}

	private runSchedule(generation: number) {
		while (generation === this.scheduleGeneration) {
			const now = time();
			const fullDue = this.lastFullAt + this.config.fullBackupInterval;
			const due = math.min(fullDue, this.lastAttemptAt + this.config.incrementalInterval);
			if (due > now) {
				task.wait(due - now);
				continue;
			}
			this.lastAttemptAt = now;
			const kind: BackupKind = fullDue <= now ? "full" : "incremental";
			const result = this.takeBackup(kind, "normal");
			// A failed full backup is tried again at the next interval rather than replaced by incrementals.
			if (kind === "full" && result.success) this.lastFullAt = now;
		}
	}

	private takeBackup(kind: BackupKind, priority: BackupPriority): BackupResult {
		if (priority === "emergency") {
			this.emergencyWaiting += 1;
			this.emergencyWanted.Fire();
		}
		while (this.busy || (priority === "normal" && this.emergencyWaiting > 0)) this.idle.Wait();
		this.busy = true;
		const started = time();
		const tally: RequestTally = { requests: 0, retries: 0 };
		const [ok, outcome] = pcall(() => this.attempt(kind, priority, tally));
		this.writing = undefined;
		if (priority === "emergency") this.emergencyWaiting -= 1;
		this.busy = false;
		const result: BackupResult = ok
			? { ...outcome, requests: tally.requests, retries: tally.retries, seconds: time() - started }
			: {
					success: false,
					kind,
					players: 0,
					placements: 0,
					size: 0,
					chunks: 0,
					requests: tally.requests,
					retries: tally.retries,
					seconds: time() - started,
					error: tostring(outcome),
				};
		this.record(result);
		this.idle.Fire();
		return result;
	}

	private attempt(kind: BackupKind, priority: BackupPriority, tally: RequestTally): Omit<BackupResult, "requests" | "retries" | "seconds"> {
		const budget = new FrameBudget(BackupLimits.frameBudgetSeconds, priority === "normal");
		this.leaveSetIfStale(os.time());
		const loaded = this.loadedBuilds();
		const pinned = this.pinnedDepartures();
		const pending = this.changes.pending(kind, loaded, budget, pinned);
		const nothing = { success: true, kind, players: 0, placements: 0, size: 0, chunks: 0 };
		if (pending.players.size() === 0) {
			pending.commit();
			return nothing;
		}
		this.sequence += 1;
		const id = `${os.time()}_${this.sequence}`;
		this.writing = id;
		const encoded = encodeBinaryPayload(id, kind, pending.players, budget);
		// DataStores store a buffer as Base64 text: 4 characters per 3 bytes, plus a small wrapper.
		const chunks = splitBuffer(encoded.data, math.floor(((this.config.chunkCharacters - 64) * 3) / 4));
		const entry: ManifestEntry = {
			id,
			kind,
			createdAt: os.time(),
			players: [],
			revisions: [],
			snapshots: [],
			format: BINARY_FORMAT,
			size: buffer.len(encoded.data),
			checksum: encoded.checksum,
			digest: digestOf(encoded.data),
			chunks: chunks.size(),
		};
		const bases: number[] = [];
		const sessions: number[] = [];
		for (const [userId, backup] of pending.players) {
			entry.players.push(userId);
			entry.revisions.push(backup.revision);
			bases.push(backup.base ?? -1);
			sessions.push(backup.session ?? 0);
			if (backup.snapshot !== undefined || backup.rows !== undefined) entry.snapshots.push(userId);
		}
		entry.bases = bases;
		entry.sessions = sessions;
		this.setAliveAt ??= entry.createdAt;
		// The index is written first, so a stored backup can always be found from another server.
		this.indexCoverage(entry.players, entry.createdAt, priority, tally);
		this.archive.writeChunks(id, chunks, priority, tally);
		// A manifest write reported as failed may have been stored: its chunks stay (the retention
		// job removes them once no manifest lists them). Its whole builds (a full backup's, or a
		// first backup's) would then start chains that a next backup built on the older bases never
		// continues, so the next backup holds every build whole instead.
		// The pins are read again, not reused: a player who left while the chunks were written is
		// pinned now, and retention must keep the chain their final build is in.
		const [committed, dropped] = pcall(() => this.archive.commitEntry(entry, this.config.retainFullBackups, priority, tally, this.pinnedDepartures()));
		if (!committed) {
			this.changes.forgetBackedUp();
			error(dropped, 0);
		}
		pending.commit();
		this.setAliveAt = entry.createdAt;
		// A carried final build is not backed up anew: its pin still lasts from its player's own last backup.
		for (const userId of entry.players) if (!pending.carried.has(userId)) this.lastBackedUp.set(userId, entry.createdAt);
		// The backup is stored and indexed, so the next server to load these players finds it: the
		// journal entries it covers can go (only a live session's, whose build the backup copied).
		const live = new Set(loaded.map((build) => build.userId));
		entry.players.forEach((userId, index) => {
			if (live.has(userId)) this.journal.coveredUpTo(userId, entry.revisions[index], sessions[index]);
		});
		if (priority === "normal") {
			for (const old of dropped) this.archive.removeChunks(old.id, old.chunks, tally);
		}
		return { success: true, kind, id, players: pending.players.size(), placements: pending.placements, size: entry.size, chunks: entry.chunks };
	}

	/**
	 * A set with no backup committed for newSetAfterSeconds may soon look gone to another server's
	 * retention, which could delete it just as a backup lands in it: this server moves to a new set,
	 * and every build's next backup there is whole.
	 */
	private leaveSetIfStale(now: number) {
		if (!needsNewSet(this.setAliveAt, now, BackupLimits.newSetAfterSeconds)) return;
		this.archive.startNewSet();
		this.changes.forgetBackedUp();
		this.indexed.clear();
		this.setAliveAt = undefined;
	}

	/** One index write for every covered player the current bucket does not list yet (none when all are listed). */
	private indexCoverage(players: readonly number[], at: number, priority: BackupPriority, tally: RequestTally) {
		const bucket = bucketOf(at, BackupLimits.indexBucketSeconds);
		const listed = this.indexed.get(bucket) ?? new Set<number>();
		if (players.every((userId) => listed.has(userId))) return;
		const all = [...listed];
		for (const userId of players) if (!listed.has(userId)) all.push(userId);
		// The bucket recorded last: a later one when the write was answered after its bucket closed.
		const recorded = this.archive.recordCoverage(all, at, priority, tally);
		for (const [other] of this.indexed) if (other !== recorded) this.indexed.delete(other);
		for (const userId of players) listed.add(userId);
		this.indexed.set(recorded, listed);
	}

	/** Departed players whose newest backup retention keeps (see unsavedDepartures). */
	private pinnedDepartures(): ReadonlySet<number> {
		const pinned = new Set<number>();
		const oldestRead = oldestReadBucketStart(os.time(), BackupLimits.indexLookbackSeconds, BackupLimits.indexBucketSeconds);
		for (const [userId] of this.unsavedDepartures) {
			const backedUpAt = this.lastBackedUp.get(userId);
			if (backedUpAt !== undefined && backedUpAt < oldestRead) this.unsavedDepartures.delete(userId);
			else pinned.add(userId);
		}
		return pinned;
	}

	private loadedBuilds(): BuildSource[] {
		const builds: BuildSource[] = [];
		for (const [player, profile] of this.playerData.loadedProfiles()) {
			// A profile whose build is not loaded (still deciding, or waiting for unreadable backups) is not the build.
			if (!this.builds.isLoaded(player.UserId)) continue;
			builds.push({
				userId: player.UserId,
				placements: profile.Data.placements,
				revision: profile.Data.buildRevision,
				rows: this.builds.rowsOf(player.UserId),
				// The session whose build this is: an older one's until this session has read the journal
				// (a backup tagged with this session would outrank that session's journaled changes).
				session: profile.Data.buildSession,
			});
		}
		return builds;
	}

	private record(result: BackupResult) {
		this.history.push(result);
		if (this.history.size() > BackupLimits.historySize) this.history.remove(0);
		this.retries += result.retries;
		if (result.success) {
			this.consecutiveFailures = 0;
			if (result.id !== undefined) {
				this.backupsTaken += 1;
				this.lastBackupId = result.id;
				this.lastSuccessAt = os.time();
			}
		} else {
			this.consecutiveFailures += 1;
			this.failedBackups += 1;
			this.lastError = result.error;
			warn(`${result.kind} backup failed (${this.consecutiveFailures} in a row): ${result.error}`);
		}
		this.backupFinished.Fire(result);
	}
}
