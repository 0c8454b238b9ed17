import { OnStart, OnTick, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { JournalConfig, MemoryStoreQuotas } from "shared/config/journal-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { Durability } from "./durability-ledger";
import { JournalBatchWriter } from "./journal-batch-writer";
import { applyJournal, followingChain, JournalChange, JournalEntry } from "./journal-entry";
import { SessionClaim } from "./journal-claim";
import { JournalState, READ_ATTEMPTS } from "./journal-state";
import { sessionMark } from "./journal-store";
import { JournalTrimmer } from "./journal-trimmer";
import { JournalWriter } from "./journal-writer";
import { EarlySaves } from "./early-saves";
import { ReplayAdoption } from "./replay-adoption";
import { backoffSeconds } from "./retry-backoff";
import { BackedUpBuild, BackupFinder, JournalBuild, JournalStatus } from "./journal-types";
import { newPlayerJournal, PlayerJournal } from "./player-journal";

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
	/**
	 * Puts a late-replayed build in place of the loaded one (BuildService installs it); returns
	 * whether it could. Called when a journal that could not be read on load is read later.
	 */
	private lateReplay: (userId: number, build: JournalBuild) => boolean = () => false;
	/** Finds the backed-up build a journal read after the load shows the build is behind (installed by the load path). */
	private newerBackup: BackupFinder = () => undefined;

	private readonly state = new JournalState();
	private readonly trimmer = new JournalTrimmer(this.state);
	private readonly saves = new EarlySaves(this.state);
	private readonly writer = new JournalWriter(this.state, this.trimmer, this.saves);
	private readonly adoption = new ReplayAdoption(this.state, this.trimmer, this.saves);
	/** Each player's journal as `pendingChanges` last read it (false: unreadable) and when, for the load path. */
	private readonly lastRead = new Map<number, { entries: JournalEntry[] | false; at: number }>();
	/** Every change of a cycle written in one step: each player's entries, then one claim. */
	private readonly batches = new JournalBatchWriter<PlayerJournal, JournalEntry>(
		(journal, entries) => {
			// While a retry is backing off (the MemoryStore failing or the budget full), new entries
			// wait for it with the rest instead of each trying and failing on its own: the retry
			// writes every waiting entry in order.
			if (!journal.writeRetry.isWaiting()) this.writer.write(journal, entries);
		},
		() => this.state.config.writeTimeoutSeconds,
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
		this.lateReplay = apply;
	}

	/** Installs what finds the backed-up build a journal read after the load shows the build is behind. */
	onBehindBackup(find: BackupFinder) {
		this.newerBackup = find;
	}

	/**
	 * The backed-up build `read` shows the build at `revision` (of `session`) is behind: entries above
	 * where its chain ends mean a backup covered the ones between and they were trimmed (an older
	 * server that did not know it was taken over may back up and trim after this session's load read
	 * the journal). Undefined when the read shows no such gap or no backup is newer; "unreadable"
	 * when one may be but the backups cannot be read now.
	 */
	private behindBackup(userId: number, read: readonly JournalEntry[], revision: number, session: number): BackedUpBuild | "unreadable" | undefined {
		const chain = followingChain(read, revision, session);
		const top = chain.size() > 0 ? chain[chain.size() - 1].revision : revision;
		if (!read.some((entry) => entry.revision > top)) return undefined;
		return this.newerBackup(userId, revision, session, read);
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
	 * first gap (may yield); throws when the journal cannot be read. The load path's seam: the
	 * entries read are kept for `holdsEntriesAbove`.
	 */
	pendingChanges(userId: number, afterRevision: number): JournalEntry[] {
		const entries = this.state.readAll(userId);
		this.lastRead.set(userId, { entries: entries ?? false, at: time() });
		if (entries === undefined) error(`the build journal of ${userId} could not be read`, 0);
		return followingChain(entries, afterRevision);
	}

	/**
	 * Every entry of the player's journal, oldest first (may yield); throws when it cannot be read.
	 * Kept for `holdsEntriesAbove`, like `pendingChanges`.
	 */
	readJournal(userId: number): JournalEntry[] {
		const entries = this.state.readAll(userId);
		this.lastRead.set(userId, { entries: entries ?? false, at: time() });
		if (entries === undefined) error(`the build journal of ${userId} could not be read`, 0);
		return entries;
	}

	/** `build` with `entries` (from `pendingChanges`) applied on top; pure apart from counting them. */
	applyJournal(build: JournalBuild, entries: readonly JournalEntry[]): JournalBuild {
		if (entries.size() === 0) return build;
		this.state.entriesReplayed += entries.size();
		return { placements: applyJournal(build.placements, entries), revision: entries[entries.size() - 1].revision };
	}

	/**
	 * Decides the rest of a loading build: replays the journal on top of the build in
	 * `profile.Data` (the profile or a newer backup), saves the profile at once when anything was
	 * replayed, and starts this session's journal. Returns the number of entries replayed.
	 */
	replayOnLoad(player: Player, profile: PlayerProfile): number {
		const stored = profile.Data.buildRevision;
		const [ok, chain] = pcall(() => this.pendingChanges(player.UserId, stored));
		const replayed = ok ? chain.size() : 0;
		if (ok && replayed > 0) {
			const build = this.applyJournal({ placements: profile.Data.placements, revision: stored }, chain);
			profile.Data.placements = build.placements.map((placement) => ({ ...placement }));
			profile.Data.buildRevision = build.revision;
			print(`${player.Name}'s build: ${replayed} journal entries replayed, revision ${stored} -> ${build.revision}`);
		}
		this.startSession(player, profile, stored);
		if (replayed > 0 && profile.IsActive()) profile.Save();
		return replayed;
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
		const userId = player.UserId;
		const previous = this.state.journals.get(userId);
		if (previous !== undefined) {
			// A rejoin on this server: the new session reads the same entries back (and counts them
			// again); the old one stops writing, so the two never write the same revision.
			previous.current = false;
			this.trimmer.uncountEntries(previous);
			this.trimmer.dropClaim(previous);
		}
		// The load path read the journal before deciding the build; this session now claims the
		// journal and reads it again before the build is handed to the player. An older session's
		// entry written between the two reads is replayed here; one written after the claim finds
		// the claim when it claims in turn, and is answered pending there.
		this.lastRead.delete(userId);
		// Set by the load path to the chosen build's session; an older session's entry above it is stale.
		const baseSession = profile.Data.buildSession ?? 0;
		const session = sessionMark(profile.SessionLoadCount);
		const map = this.state.store.mapOf(userId);
		const claim = new SessionClaim(userId, session, this.state.store, this.state.storedLoadCount);
		const claimed = this.claimAndRead(userId, map, claim);
		let read = claimed === undefined ? false : claimed === "newer" ? [] : claimed.entries;
		// The build changed here (a backup, entries written since the load's read): saved at once.
		let changedNow = false;
		// The stored profile's revision, below the stored copy when that is a backup (see heldForBackup).
		const storedProfile = profileRevision ?? storedRevision;
		// A backup the read shows the build is behind (written and trimmed since the load's read).
		let behind: BackedUpBuild | undefined;
		if (read !== false && claimed !== "newer") {
			const found = this.behindBackup(userId, read, profile.Data.buildRevision, baseSession);
			// The search yields: a session that ended meanwhile starts no journal (a rejoin's is another session's).
			if (!profile.IsActive()) return;
			// Read again later, once the backups can be: the build waits as for an unread journal.
			if (found === "unreadable") read = false;
			else behind = found;
		}
		if (read !== false) {
			const from: JournalBuild = behind ?? { placements: profile.Data.placements, revision: profile.Data.buildRevision };
			const chain = followingChain(read, from.revision, behind?.session ?? baseSession);
			if (behind !== undefined) {
				print(`${player.Name}'s build is behind a backup the journal shows: revision ${profile.Data.buildRevision} -> ${behind.revision}`);
				profile.Data.placements = behind.placements.map((placement) => ({ ...placement }));
				profile.Data.buildRevision = behind.revision;
				profile.Data.buildSession = behind.session;
				changedNow = true;
			}
			if (chain.size() > 0) {
				const data = profile.Data;
				const build = this.applyJournal({ placements: data.placements, revision: data.buildRevision }, chain);
				print(`${player.Name}'s build: ${chain.size()} journal entries written since the load's read replayed, revision ${data.buildRevision} -> ${build.revision}`);
				data.placements = build.placements.map((placement) => ({ ...placement }));
				data.buildRevision = build.revision;
				changedNow = true;
			}
		}
		const loaded = profile.Data.buildRevision;
		// What a stored copy covers: the load path's figure when it gives one. The loaded build may be
		// ahead of it by entries the load replayed; counting those as stored (when this read failed)
		// would let the later read trim them before any save covers them.
		const base = behind?.revision ?? storedRevision ?? (read === false ? loaded : replayedFrom(read, loaded));
		const journal = newPlayerJournal(
			{
				userId,
				profile,
				map,
				unread: read === false,
				session,
				moved: claimed === "newer",
				claim,
				baseSession: behind?.session ?? baseSession,
				storedSession: behind?.session ?? storedSession ?? baseSession,
				profileRevision: storedProfile ?? base,
			},
			base,
			this.state.delays,
		);
		this.state.journals.set(userId, journal);
		profile.OnAfterSave.Connect((saved) => {
			// The stored data is a newer session's (this save landed after another server took the
			// session): it covers nothing of this session's, which was taken over. Its claim stops
			// counting: the newer session's claim replaces it (the journal has one claim key).
			if ((saved.buildSession ?? 0) > profile.SessionLoadCount) {
				if (!journal.moved) this.trimmer.takenOver(journal);
				this.trimmer.forgetIfEmpty(journal);
				return;
			}
			journal.profileRevision = math.max(journal.profileRevision, saved.buildRevision);
			this.trimmer.releaseHeld(journal, saved.buildRevision);
			this.trimmer.storedUpTo(journal, saved.buildRevision);
		});
		if (claimed === "newer") {
			warn(`${player.Name}'s build journal is claimed by a newer session; this server stops accepting their changes`);
			return;
		}
		if (claimed !== undefined) this.trimmer.holdClaim(journal, claimed.bytes);

		if (read === false) {
			// Acknowledged changes may be in there: the player's changes wait until it is read.
			warn(`${player.Name}'s build journal could not be read; building waits until it can be`);
			task.spawn(() => this.readLater(journal));
			return;
		}
		this.adoption.adopt(journal, read, base);
		if (changedNow && profile.IsActive()) profile.Save();
	}

	/**
	 * Claims a player's journal for `session` and reads it, each tried READ_ATTEMPTS times;
	 * "newer" when a newer session holds it, undefined when either request keeps failing.
	 */
	private claimAndRead(
		userId: number,
		map: MemoryStoreSortedMap,
		claim: SessionClaim,
	): { entries: JournalEntry[]; bytes: number } | "newer" | undefined {
		for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
			const result = claim.claim(map, this.state.config.claimExpirationSeconds);
			if (result === "newer") return "newer";
			if (typeIs(result, "string")) {
				const entries = this.state.readAll(userId);
				if (entries === undefined) return undefined;
				// Proven now, so the first change is not held up by it; a failure is retried with that change.
				if (claim.verify() === "newer") return "newer";
				return { entries, bytes: this.state.store.claimBytes(claim.session) };
			}
			if (attempt < READ_ATTEMPTS) task.wait(this.state.config.retryBaseSeconds * 2 ** (attempt - 1));
		}
		return undefined;
	}

	/** Reads an unreadable journal again with backoff; replays it on the live build once it can. */
	private readLater(journal: PlayerJournal) {
		let attempt = 0;
		while (journal.current && journal.profile.IsActive()) {
			task.wait(backoffSeconds(this.state.config, attempt));
			attempt += 1;
			const claimed = this.claimAndRead(journal.userId, journal.map, journal.claim);
			if (claimed === "newer") {
				this.trimmer.takenOver(journal);
				journal.unread = false;
				return;
			}
			if (claimed === undefined || !journal.current || !journal.profile.IsActive()) continue;
			this.trimmer.holdClaim(journal, claimed.bytes);
			const entries = claimed.entries;
			const data = journal.profile.Data;
			const behind = this.behindBackup(journal.userId, entries, data.buildRevision, journal.baseSession);
			// The search yields: a session that ended or was superseded meanwhile (a rejoin's build is
			// another session's) installs nothing.
			if (!journal.current || journal.moved || !journal.profile.IsActive()) return;
			if (behind === "unreadable") continue;
			const from: JournalBuild = behind ?? { placements: data.placements, revision: data.buildRevision };
			const fromSession = behind?.session ?? journal.baseSession;
			const chain = followingChain(entries, from.revision, fromSession);
			if (chain.size() > 0 || behind !== undefined) {
				const build = chain.size() > 0 ? this.applyJournal(from, chain) : from;
				print(`${journal.userId}'s build: ${chain.size()} journal entries replayed late${behind !== undefined ? " on the backup the journal shows it is behind" : ""}, revision ${data.buildRevision} -> ${build.revision}`);
				// Not applied (the build is not loaded yet): the entries stay for the next read.
				if (!this.lateReplay(journal.userId, build)) continue;
			}
			// The backup is a stored copy of the build up to its revision.
			if (behind !== undefined) journal.ledger.storedUpTo(behind.revision);
			this.adoption.adopt(journal, entries, journal.ledger.storedRevision(), fromSession);
			journal.unread = false;
			// The build now holds what the journal continued it with: it is this session's (see BuildLoadService).
			if (journal.current && !journal.moved) data.buildSession = journal.profile.SessionLoadCount;
			return;
		}
	}

	/** Whether the player's session started without reading their journal and waits to read it. */
	waitsForRead(userId: number): boolean {
		const journal = this.state.journals.get(userId);
		return journal !== undefined && journal.current && journal.unread;
	}

	/**
	 * Why a player's change must be refused now, if it must: their journal could not be read on
	 * load yet (DataNotLoaded), or their earlier changes have been pending for
	 * `refuseAfterSeconds` or more (SavingDelayed, counted; an early save is asked for).
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
		task.spawn(() => {
			let attempt = 0;
			while (journal.current && journal.profile.IsActive() && journal.ledger.storedRevision() < revision) {
				task.wait(backoffSeconds(this.state.config, attempt));
				attempt += 1;
				if (journal.ledger.storedRevision() >= revision || !journal.profile.IsActive()) return;
				this.saves.saveEarly(journal, true);
			}
		});
		const deadline = time() + this.state.config.writeTimeoutSeconds;
		while (journal.ledger.storedRevision() < revision && time() < deadline) task.wait();
		return journal.ledger.durabilityOf(revision);
	}

	/**
	 * A stored copy other than the profile (a backup the load path finds) covers the player's
	 * build up to `revision`, as the session `sessionLoadCount` had it: the journal entries below it
	 * are trimmed. The entry of `revision`
	 * itself stays until a later save or backup: a server that loads the player while the backups
	 * cannot be read sees the gap below it and waits instead of loading a stale build. A change in
	 * no journal entry (a replaced build, a change still waiting for its journal write) is not made
	 * durable by a backup: with no entry of its own it may be past the one kept, and a server that
	 * cannot read the backups would then load the profile without waiting for them.
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

	/**
	 * Whether the journal, as the load path last read it, holds entries above `revision` (a build
	 * at `revision` with its chain replayed is behind them: something between was covered by a
	 * backup). Undefined when it was not read or could not be.
	 */
	holdsEntriesAbove(userId: number, revision: number): boolean | undefined {
		const read = this.lastRead.get(userId);
		if (read === undefined || read.entries === false) return undefined;
		return read.entries.some((entry) => entry.revision > revision);
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

/** The revision the journal was replayed from: the entries just below `loaded`, without a gap, were replayed. */
function replayedFrom(entries: readonly JournalEntry[], loaded: number): number {
	const present = new Set<number>();
	for (const entry of entries) present.add(entry.revision);
	let revision = loaded;
	while (present.has(revision)) revision -= 1;
	return revision;
}
