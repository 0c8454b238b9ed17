import { PlayerData } from "server/player-data/player-data";
import { PlayerProfile } from "server/player-data/player-data-service";
import { SessionClaim } from "./journal-claim";
import { Continuation, entriesPast, replayedFrom, replayOnto } from "./journal-continuation";
import { followingChain, JournalEntry } from "./journal-entry";
import { JournalState, READ_ATTEMPTS } from "./journal-state";
import { sessionMark } from "./journal-store";
import { JournalTrimmer } from "./journal-trimmer";
import { BackupFinder, JournalBuild } from "./journal-types";
import { newPlayerJournal, PlayerJournal } from "./player-journal";
import { ReplayAdoption } from "./replay-adoption";
import { backoffSeconds } from "./retry-backoff";

/**
 * Starts a session's journal: claims the journal and reads it, replays on the build what it
 * lacks (later, once it can be read, when it cannot be now) and adopts the entries read.
 */
export class SessionStarter {
	/**
	 * Puts a late-replayed build in place of the loaded one (BuildService installs it); returns
	 * whether it could. Called when a journal that could not be read on load is read later.
	 */
	lateReplay: (userId: number, build: JournalBuild) => boolean = () => false;
	/** Finds the backed-up build a journal read after the load shows the build is behind (installed by the load path). */
	newerBackup: BackupFinder = () => undefined;

	constructor(
		private readonly state: JournalState,
		private readonly trimmer: JournalTrimmer,
		private readonly adoption: ReplayAdoption,
	) {}

	/**
	 * Starts the journal of a session whose build is decided and in `profile.Data` (see
	 * BuildJournalService.startSession).
	 */
	start(player: Player, profile: PlayerProfile, storedRevision?: number, storedSession?: number, profileRevision?: number) {
		const userId = player.UserId;
		const previous = this.state.journals.get(userId);
		if (previous !== undefined) {
			// A rejoin on this server: the new session reads the same entries back (and counts them
			// again); the old one stops writing, so the two never write the same revision.
			previous.current = false;
			this.trimmer.uncountEntries(previous);
			this.trimmer.dropClaim(previous);
		}
		// Set by the load path to the chosen build's session; an older session's entry above it is stale.
		const baseSession = profile.Data.buildSession ?? 0;
		const session = sessionMark(profile.SessionLoadCount);
		const map = this.state.store.mapOf(userId);
		const claim = new SessionClaim(userId, session, this.state.store, this.state.storedLoadCount);
		// The load path read the journal before deciding the build; this session now claims the
		// journal and reads it again before the build is handed to the player. An older session's
		// entry written between the two reads is replayed here; one written after the claim finds
		// the claim when it claims in turn, and is answered pending there.
		const claimed = this.claimAndRead(userId, map, claim);
		let read = claimed === undefined ? false : claimed === "newer" ? [] : claimed.entries;
		// The build changed here (a backup, entries written since the load's read): saved at once.
		let changedNow = false;
		// The stored profile's revision, below the stored copy when that is a backup (see heldForBackup).
		const storedProfile = profileRevision ?? storedRevision;
		let continued: Continuation | undefined;
		if (read !== false && claimed !== "newer") {
			const found = this.continuation(userId, read, profile.Data, baseSession);
			// The search yields: a session that ended meanwhile starts no journal (a rejoin's is another session's).
			if (!profile.IsActive()) return;
			// Read again later, once the backups can be: the build waits as for an unread journal.
			if (found === "unreadable") read = false;
			else continued = found;
		}
		// A backup the read shows the build is behind (written and trimmed since the load's read).
		const behind = continued?.behind;
		if (continued !== undefined) {
			// The build to continue (the loaded one, or the backup it is behind) and the entries after it.
			const { from, chain } = continued;
			if (behind !== undefined || chain.size() > 0) {
				const data = profile.Data;
				if (behind !== undefined) print(`${player.Name}'s build is behind a backup the journal shows: revision ${data.buildRevision} -> ${behind.revision}`);
				const build = this.replay(from, chain);
				if (chain.size() > 0) print(`${player.Name}'s build: ${chain.size()} journal entries written since the load's read replayed, revision ${from.revision} -> ${build.revision}`);
				data.placements = build.placements.map((placement) => ({ ...placement }));
				data.buildRevision = build.revision;
				if (behind !== undefined) data.buildSession = behind.session;
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
			if (attempt < READ_ATTEMPTS) task.wait(backoffSeconds(this.state.config, attempt - 1));
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
			const continued = this.continuation(journal.userId, entries, data, journal.baseSession);
			// The search yields: a session that ended or was superseded meanwhile (a rejoin's build is
			// another session's) installs nothing.
			if (!journal.current || journal.moved || !journal.profile.IsActive()) return;
			if (continued === "unreadable") continue;
			const { behind, from, fromSession, chain } = continued;
			if (chain.size() > 0 || behind !== undefined) {
				const build = this.replay(from, chain);
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

	/**
	 * How `read` continues the build in `data` (of `session`). Entries above where the build's own
	 * chain ends mean a backup covered the ones between and they were trimmed (an older server that
	 * did not know it was taken over may back up and trim after this session's load read the
	 * journal): the chain then continues the backed-up build the search finds, if one is newer.
	 * "unreadable" when it may be behind a backup that cannot be read now. Yields (the backup search).
	 */
	private continuation(userId: number, read: readonly JournalEntry[], data: PlayerData, session: number): Continuation | "unreadable" {
		const revision = data.buildRevision;
		const own = followingChain(read, revision, session);
		const behind = entriesPast(read, own, revision) ? this.newerBackup(userId, revision, session, read) : undefined;
		if (behind === "unreadable") return "unreadable";
		if (behind === undefined) return { behind, from: { placements: data.placements, revision }, fromSession: session, chain: own };
		return { behind, from: behind, fromSession: behind.session, chain: followingChain(read, behind.revision, behind.session) };
	}

	/** `build` with `entries` applied on top, counted as replayed. */
	replay(build: JournalBuild, entries: readonly JournalEntry[]): JournalBuild {
		if (entries.size() === 0) return build;
		this.state.entriesReplayed += entries.size();
		return replayOnto(build, entries);
	}
}
