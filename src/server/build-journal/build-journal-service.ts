import { OnStart, OnTick, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { JournalConfig, MemoryStoreQuotas } from "shared/config/journal-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { Durability } from "./durability-ledger";
import { EarlySaves, waitUntilStored } from "./early-saves";
import { JournalBatchWriter } from "./journal-batch-writer";
import { followingChain, JournalChange, JournalEntry } from "./journal-entry";
import { JournalState } from "./journal-state";
import { JournalTrimmer } from "./journal-trimmer";
import { BackupFinder, JournalBuild, JournalStatus } from "./journal-types";
import { JournalWriter } from "./journal-writer";
import { PlayerJournal } from "./player-journal";
import { ReplayAdoption } from "./replay-adoption";
import { SessionStarter } from "./session-starter";

/**
 * The write-ahead journal of build changes in MemoryStoreService. Every placement and removal
 * is written there before the client is answered, so a crashed server loses none: whichever
 * server loads the player next replays the entries newer than the build it loaded. Entries are
 * trimmed once a profile save covering them has landed. When neither the journal nor a save can
 * make a change durable the answer says `saved: "pending"`, and after `refuseAfterSeconds` of
 * that the player's new changes are refused.
 */
@Service()
export class BuildJournalService implements OnStart, OnTick {
	private readonly state = new JournalState();
	private readonly trimmer = new JournalTrimmer(this.state);
	private readonly saves = new EarlySaves(this.state);
	private readonly writer = new JournalWriter(this.state, this.trimmer, this.saves, (journal) => this.batches.retryOver(journal));
	private readonly sessions = new SessionStarter(
		this.state,
		this.trimmer,
		new ReplayAdoption(this.state, this.trimmer, this.saves),
	);
	/** Every change of a cycle written in one step: each player's entries, then one claim. */
	private readonly batches = new JournalBatchWriter<PlayerJournal, JournalEntry>(
		(journal, entries) => {
			// While a retry is backing off (the MemoryStore failing or the budget full), new entries
			// wait for it with the rest instead of each trying and failing on its own: the retry
			// writes every waiting entry in order, and their callers wait for it.
			if (journal.writeRetry.isWaiting()) return true;
			const landed = this.writer.write(journal, entries);
			// A retry writing meanwhile carries earlier entries: these are durable only once it lands.
			return landed && journal.writeRetry.isRunning();
		},
		() => this.state.config.writeTimeoutSeconds,
		(journal, deadline) => journal.writeRetry.underWayBy(deadline),
	);

	constructor(private readonly playerData: PlayerDataService) {}

	onStart() {
		this.playerData.profileReleased.Connect((player) => {
			const journal = this.state.journals.get(player.UserId);
			// The final save's OnAfterSave still trims; a journal with nothing left is forgotten then.
			if (journal !== undefined) this.trimmer.forgetIfEmpty(journal);
		});
	}

	onTick() {
		this.batches.wakeOverdue(time());
	}

	/** Entries written, journal bytes held and the memory budget, without `status`'s per-player walk. */
	usage(): { entriesWritten: number; bytesUsed: number; memoryBudgetBytes: number } {
		return { entriesWritten: this.state.entriesWritten, bytesUsed: this.state.bytesUsed, memoryBudgetBytes: this.state.memoryBudget() };
	}

	/** The per-cycle batch writer, for benchmarks to time its flushes. */
	batchWriter(): JournalBatchWriter<object, JournalEntry> {
		return this.batches as unknown as JournalBatchWriter<object, JournalEntry>;
	}

	/** Installs what applies a journal replayed late to a loaded build. */
	onLateReplay(apply: (userId: number, build: JournalBuild) => boolean) {
		this.sessions.lateReplay = apply;
	}

	/** Installs what finds the backed-up build a journal read after the load shows the build is behind. */
	onBehindBackup(find: BackupFinder) {
		this.sessions.newerBackup = find;
	}

	configure(config: Partial<JournalConfig>) {
		const merged = { ...this.state.config, ...config };
		assert(merged.writeTimeoutSeconds >= 0 && merged.refuseAfterSeconds > 0, "journal times must be positive");
		assert(merged.entryExpirationSeconds > 0 && merged.entryExpirationSeconds <= 3_888_000, "entries expire within 45 days");
		this.state.config = merged;
	}

	currentConfig(): Readonly<JournalConfig> {
		return this.state.config;
	}

	/**
	 * The journaled changes that continue a build stored at `afterRevision`, in order, up to the
	 * first gap (may yield); throws when the journal cannot be read. The load path's seam.
	 */
	pendingChanges(userId: number, afterRevision: number): JournalEntry[] {
		return followingChain(this.readJournal(userId), afterRevision);
	}

	/** Every entry of the player's journal, oldest first (may yield); throws when it cannot be read. */
	readJournal(userId: number): JournalEntry[] {
		const entries = this.state.readAll(userId);
		if (entries === undefined) error(`the build journal of ${userId} could not be read`, 0);
		return entries;
	}

	/** `build` with `entries` (from `pendingChanges`) applied on top; pure apart from counting them. */
	applyJournal(build: JournalBuild, entries: readonly JournalEntry[]): JournalBuild {
		return this.sessions.replay(build, entries);
	}

	/**
	 * Starts the journal of a session whose build is decided and in `profile.Data`.
	 * `storedRevision` is the revision of the stored copy the journal was replayed on (without it,
	 * the entries just below the build's revision are taken as replayed, which only keeps them
	 * longer), `storedSession` the session of that copy when it is not the build's own, and
	 * `profileRevision` the stored profile's revision when that copy is a backup. Entries the build
	 * no longer needs are trimmed; entries past a gap push the revision beyond them, so a new entry
	 * never shares a key with one that cannot be replayed.
	 */
	startSession(player: Player, profile: PlayerProfile, storedRevision?: number, storedSession?: number, profileRevision?: number) {
		this.sessions.start(player, profile, storedRevision, storedSession, profileRevision);
	}

	/** Whether the player's session started without reading their journal and waits to read it. */
	waitsForRead(userId: number): boolean {
		const journal = this.state.journals.get(userId);
		return journal !== undefined && journal.current && journal.unread;
	}

	/**
	 * Why a player's change must be refused now, if it must: their journal could not be read on
	 * load yet (DataNotLoaded), or their earlier changes have been pending for
	 * `refuseAfterSeconds` or more (SavingDelayed, counted; an early save is asked for), or another
	 * server took the player over (SessionMoved, counted).
	 */
	changeRefusal(userId: number): RejectionReason | undefined {
		const journal = this.state.journals.get(userId);
		if (journal === undefined || !journal.current) return undefined;
		if (journal.moved) {
			this.state.refusals += 1;
			return RejectionReason.SessionMoved;
		}
		if (journal.unread) return RejectionReason.DataNotLoaded;
		if (journal.ledger.pendingSeconds(time()) < this.state.config.refuseAfterSeconds) return undefined;
		this.state.refusals += 1;
		this.saves.saveEarly(journal);
		return RejectionReason.SavingDelayed;
	}

	/**
	 * Journals a change the player's build has just taken (it produced `revision`): queued for
	 * this cycle's batch write (JournalBatchWriter), waiting up to `writeTimeoutSeconds` for it;
	 * tells whether the change is durable now.
	 */
	record(userId: number, revision: number, change: JournalChange): Durability {
		const journal = this.state.journals.get(userId);
		// A session that ended (taken over, or the player left) journals nothing new as durable.
		if (journal === undefined || !journal.current || journal.moved || !journal.profile.IsActive()) return "pending";
		const entry: JournalEntry = { revision, change, at: os.time(), session: journal.session };
		journal.ledger.acknowledge(entry, time());
		// Woken once this write and the player's earlier ones are over, or by the timeout, whichever is first; never polled.
		this.batches.enqueue(journal, entry, true);
		// A session that lost the player meanwhile answers nothing durable: no later load replays it.
		return journal.moved ? "pending" : journal.ledger.durabilityOf(revision);
	}

	/**
	 * A whole build was replaced at `revision` (a recovery or rollback) and a profile save asked
	 * for. No journal entry can hold it, so it and every later change stay `pending` until a save
	 * covering it lands; the save is asked for again with backoff until then. Waits up to
	 * `writeTimeoutSeconds` and tells whether the replaced build is durable.
	 */
	replaced(userId: number, revision: number): Durability {
		const journal = this.state.journals.get(userId);
		if (journal === undefined || !journal.current || journal.moved) return "pending";
		journal.ledger.barrier(revision, time());
		task.spawn(() => this.saves.saveUntilStored(journal, revision));
		waitUntilStored(journal, revision, this.state.config.writeTimeoutSeconds);
		return journal.ledger.durabilityOf(revision);
	}

	/**
	 * A stored copy other than the profile (a backup the load path finds) covers the player's
	 * build up to `revision`, as the session `sessionLoadCount` had it: the journal entries below it
	 * are trimmed. The entry of `revision` itself stays until a later save or backup: a server that
	 * loads the player while the backups cannot be read sees the gap below it and waits instead of
	 * loading a stale build. A change in no journal entry (a replaced build, a change still waiting
	 * for its journal write) is not made durable by a backup: with no entry of its own it may be
	 * past the one kept, and a server that cannot read the backups would then load the profile
	 * without waiting for them.
	 */
	coveredUpTo(userId: number, revision: number, sessionLoadCount: number) {
		const journal = this.state.journals.get(userId);
		if (journal === undefined || !journal.current) return;
		// A backup of another session's build (the player rejoined while it was written): this
		// session's entries may continue that build under its own mark, and a later load would not
		// take the backup over them, so the backup covers none of them.
		if (sessionLoadCount !== journal.profile.SessionLoadCount) return;
		this.trimmer.backupCovers(journal, revision);
	}

	/** Whether a player's change of `revision` is durable now. */
	durabilityOf(userId: number, revision: number): Durability {
		const journal = this.state.journals.get(userId);
		if (journal === undefined || journal.moved) return "pending";
		return journal.ledger.durabilityOf(revision);
	}

	status(): JournalStatus {
		const now = time();
		const players = Players.GetPlayers().size();
		let pendingChanges = 0;
		let pendingPlayers = 0;
		let refusing = false;
		let unreadPlayers = 0;
		for (const [, journal] of this.state.journals) {
			if (journal.current && journal.unread) unreadPlayers += 1;
			// A session handed over waits for nothing here: its changes were answered pending.
			if (journal.moved) continue;
			const pending = journal.ledger.pendingSeconds(now);
			const waiting = journal.ledger.waitingCount();
			if (pending > 0 || waiting > 0) {
				pendingPlayers += 1;
				pendingChanges += waiting;
			}
			if (pending >= this.state.config.refuseAfterSeconds) refusing = true;
		}
		return {
			health: refusing ? "failing" : pendingPlayers > 0 || unreadPlayers > 0 ? "degraded" : "healthy",
			entriesWritten: this.state.entriesWritten,
			writeFailures: this.state.writeFailures,
			entriesReplayed: this.state.entriesReplayed,
			entriesTrimmed: this.state.entriesTrimmed,
			earlySaves: this.state.earlySaves,
			refusals: this.state.refusals,
			claimChecks: this.state.claimChecks,
			pendingChanges,
			pendingPlayers,
			unreadPlayers,
			bytesUsed: this.state.bytesUsed,
			memoryBudgetBytes: this.state.memoryBudget(),
			memoryQuotaBytes: math.floor(MemoryStoreQuotas.memoryBaseBytes + MemoryStoreQuotas.memoryPerUserBytes * players),
			requestUnitsLastMinute: this.state.store.meter.lastWindow(now),
			requestUnitsPerMinute: MemoryStoreQuotas.requestUnitsBase + MemoryStoreQuotas.requestUnitsPerUser * players,
		};
	}
}
