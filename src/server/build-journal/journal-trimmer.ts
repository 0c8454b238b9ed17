import { GONE_SECONDS } from "./journal-store";
import { JournalState } from "./journal-state";
import { PlayerJournal } from "./player-journal";

/**
 * Trims the journal entries a stored copy covers and keeps count of the MemoryStore memory each
 * session's entries and claim hold, forgetting a journal once its player left with nothing in it.
 */
export class JournalTrimmer {
	constructor(private readonly state: JournalState) {}

	/** Counts this session's claim in the memory the journal uses. */
	holdClaim(journal: PlayerJournal, bytes: number) {
		if (journal.claimBytes > 0) return;
		journal.claimBytes = bytes;
		this.state.bytesUsed += bytes;
	}

	/** The claim is no longer this session's to count (taken over, or the session forgotten); it expires on its own. */
	dropClaim(journal: PlayerJournal) {
		this.state.bytesUsed -= journal.claimBytes;
		journal.claimBytes = 0;
	}

	/**
	 * The session ended cleanly with nothing left to write: its claim is released (if still its
	 * own), so claims do not pile up for players who left. A claim that could not be released
	 * stays counted until it expires. Nothing depends on the claim being there: a session that
	 * finds it missing verifies against the stored profile.
	 */
	private releaseClaim(journal: PlayerJournal) {
		const bytes = journal.claimBytes;
		if (bytes === 0) return;
		journal.claimBytes = 0;
		task.spawn(() => {
			const released = !journal.moved && this.state.store.releaseClaim(journal.map, journal.session);
			task.delay(released ? GONE_SECONDS : this.state.config.claimExpirationSeconds, this.state.release, bytes);
		});
	}

	/** Stops counting `journal`'s entries (another session reads them back and counts them itself). */
	uncountEntries(journal: PlayerJournal) {
		this.state.bytesUsed -= journal.ledger.journaledBytes();
		journal.ledger.forgetJournal();
		for (const [, bytes] of journal.obsolete) this.state.bytesUsed -= bytes;
		journal.obsolete.clear();
		for (const [, bytes] of journal.heldForBackup) this.state.bytesUsed -= bytes;
		journal.heldForBackup.clear();
	}

	/**
	 * A newer session of the player holds the journal now: it answers nothing durable, trims
	 * nothing, and its entries are the newer session's to count and trim.
	 */
	private handedOver(journal: PlayerJournal) {
		journal.moved = true;
		this.uncountEntries(journal);
		// Its waiting changes will never be journaled here (they were answered pending): an empty
		// journal can be forgotten once the player leaves.
		journal.ledger.unjournaled.clear();
	}

	/** A newer session's claim or entry met by this one: handed over, and its own claim no longer counted. */
	takenOver(journal: PlayerJournal) {
		this.handedOver(journal);
		this.dropClaim(journal);
	}

	/** Entries kept for a backup (see heldForBackup) at or below `revision` are no longer needed: trimmed with the obsolete ones. */
	releaseHeld(journal: PlayerJournal, revision: number) {
		for (const [held, bytes] of journal.heldForBackup) {
			if (held > revision) continue;
			journal.heldForBackup.delete(held);
			journal.obsolete.set(held, bytes);
		}
	}

	/** A save covering `revision` landed: entries up to it (and those obsolete on load) are trimmed from the MemoryStore. */
	storedUpTo(journal: PlayerJournal, revision: number) {
		// Only revisions: a trim releases the bytes still counted when it lands (see trim).
		const trimmable: number[] = [];
		for (const [covered] of journal.ledger.storedUpTo(revision)) trimmable.push(covered);
		for (const maybe of journal.maybeStored) {
			if (maybe <= revision && !journal.ledger.journaled.has(maybe)) trimmable.push(maybe);
		}
		for (const [obsolete] of journal.obsolete) trimmable.push(obsolete);
		if (trimmable.size() > 0) task.spawn(() => this.trim(journal, trimmable));
		else {
			journal.trimRetry.reset();
			this.forgetIfEmpty(journal);
		}
	}

	/**
	 * A backup of this session's build covers it up to `revision`: the entries below the newest
	 * journaled one it covers are trimmed, and that one stays (see BuildJournalService.coveredUpTo).
	 */
	backupCovers(journal: PlayerJournal, revision: number) {
		// The newest journaled entry the backup covers stays, even when `revision` itself
		// never reached the journal: an empty journal would let that server load without waiting.
		let newestCovered: number | undefined;
		for (const [journaled] of journal.ledger.journaled) {
			if (journaled <= revision && (newestCovered === undefined || journaled > newestCovered)) newestCovered = journaled;
		}
		if (newestCovered === undefined) {
			this.storedUpTo(journal, math.min(revision, journal.ledger.durableRevision()));
			return;
		}
		// The kept entry shows a server that cannot read the backups that it must wait for them; a
		// change below it in no journal entry (waiting for its write, a replaced build) still waits
		// for its own write or a profile save.
		const uncovered = journal.ledger.lowestUncovered();
		const covered = uncovered !== undefined ? math.min(newestCovered - 1, uncovered - 1) : newestCovered - 1;
		// The entry kept for the backup the build came from: this backup's own kept entry shows as much.
		this.releaseHeld(journal, newestCovered - 1);
		this.storedUpTo(journal, covered);
	}

	private trim(journal: PlayerJournal, revisions: readonly number[]) {
		let refused = 0;
		let trimmed = 0;
		let writtenMeanwhile = false;
		for (const revision of revisions) {
			// A session that was taken over trims nothing more: the revisions are the newer session's.
			if (journal.moved) return;
			const countedBefore = this.countedBytes(journal, revision) !== undefined;
			// Lists are made before a trim starts and trims overlap (a save's, a backup's, a retry's): a
			// revision another has finished meanwhile is skipped, or its bytes would be released twice.
			if (journal.trimming.has(revision) || !(countedBefore || journal.maybeStored.has(revision))) continue;
			// Being marked as this session's: a trim now could match the old mark, or miss the new one.
			if (journal.remarking.has(revision)) {
				refused += 1;
				continue;
			}
			journal.trimming.add(revision);
			// Only the entry as this session wrote or read it: a newer session's at the same revision stays.
			// A re-mark reported failed may have landed: then the entry carries this session's mark.
			const mark = journal.foreign.get(revision) ?? journal.session;
			const orMark = journal.remarkUncertain.has(revision) ? journal.session : undefined;
			const trimmedIt = this.state.store.trim(journal.map, revision, mark, orMark);
			journal.trimming.delete(revision);
			// A failed removal stays listed: tried again after a backoff, or by the next save's trim. So
			// does one whose mark changed meanwhile (re-marked as this session's): it matched nothing.
			const ok = trimmedIt && (journal.foreign.get(revision) ?? journal.session) === mark;
			if (!ok) {
				refused += 1;
				continue;
			}
			// What is counted now (a rejoin or a hand-over that took the entries over has uncounted them).
			const counted = this.countedBytes(journal, revision);
			if (counted !== undefined && !countedBefore) {
				// A retried write of it landed during the trim, perhaps after it: it stays listed for another.
				writtenMeanwhile = true;
				continue;
			}
			journal.maybeStored.delete(revision);
			journal.obsolete.delete(revision);
			journal.foreign.delete(revision);
			journal.remarkUncertain.delete(revision);
			if (counted !== undefined) {
				journal.ledger.trimmed(revision);
				// The entry was set to expire within GONE_SECONDS: its bytes count until then.
				task.delay(GONE_SECONDS, this.state.release, counted);
				this.state.entriesTrimmed += 1;
			}
			trimmed += 1;
		}
		if (refused > 0) this.scheduleTrimRetry(journal);
		else if (trimmed > 0) journal.trimRetry.reset();
		if (writtenMeanwhile) this.storedUpTo(journal, journal.ledger.storedRevision());
		else this.forgetIfEmpty(journal);
	}

	/** The bytes `revision`'s entry counts for in bytesUsed; undefined when it is not counted. */
	private countedBytes(journal: PlayerJournal, revision: number): number | undefined {
		return journal.ledger.journaled.get(revision) ?? journal.obsolete.get(revision);
	}

	/**
	 * Lists the stored-over entries again after a backoff: a refused trim (a throttled minute, an
	 * outage) would otherwise hold its share of the memory budget until the next save lands.
	 */
	private scheduleTrimRetry(journal: PlayerJournal) {
		journal.trimRetry.schedule(() => {
			if (journal.moved || this.state.journals.get(journal.userId) !== journal) return;
			this.storedUpTo(journal, journal.ledger.storedRevision());
		});
	}

	forgetIfEmpty(journal: PlayerJournal) {
		if (this.state.journals.get(journal.userId) !== journal || journal.profile.IsActive()) return;
		const empty = journal.obsolete.size() === 0 && journal.heldForBackup.size() === 0;
		// An entry whose write was reported failed may be stored: forgotten, its trims would stop and it
		// would hold memory no count shows until it expires. A session taken over leaves its entries to
		// the newer one (and trims nothing more).
		const maybeLeft = !journal.moved && journal.maybeStored.size() > 0;
		if (empty && !maybeLeft && journal.ledger.journaled.size() === 0 && journal.ledger.unjournaled.size() === 0) {
			this.state.journals.delete(journal.userId);
			this.releaseClaim(journal);
		}
	}
}
