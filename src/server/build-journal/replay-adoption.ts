import { EarlySaves } from "./early-saves";
import { followingChain, JournalEntry, markedAs } from "./journal-entry";
import { JournalState } from "./journal-state";
import { JournalTrimmer } from "./journal-trimmer";
import { PlayerJournal } from "./player-journal";

/**
 * Takes the entries a session start read into the session's journal: the replayed ones are
 * marked as this session's (again later when that fails), the rest are listed for trimming.
 */
export class ReplayAdoption {
	constructor(
		private readonly state: JournalState,
		private readonly trimmer: JournalTrimmer,
		private readonly saves: EarlySaves,
	) {}

	/**
	 * Takes the entries read on load into this session's journal: those above the stored copy
	 * and up to the build's revision were replayed and stay until a save covers them; the rest
	 * are trimmed, and the revision moves past any of them it is below.
	 */
	adopt(journal: PlayerJournal, read: readonly JournalEntry[], base: number, baseSession = journal.storedSession) {
		const profile = journal.profile;
		const loaded = profile.Data.buildRevision;
		let highest = loaded;
		const obsolete = journal.obsolete;
		// Above the stored profile, the newest entry the backup the build came from covers stays (see heldForBackup).
		let held: number | undefined;
		for (const entry of read) {
			if (entry.revision > journal.profileRevision && entry.revision <= base && (held === undefined || entry.revision > held)) held = entry.revision;
		}
		// The chain a replay from `base` applies: only those entries are this session's build.
		const chain = followingChain(read, base, baseSession);
		// Replayed into this session's build: rewritten under its mark, so the older session that
		// wrote them (which may go on and trim what its own copies cover) can no longer trim them;
		// they stay until a copy of this session's build covers them. Newest first, stopping at the
		// first that fails: along the chain marks then only go from older to newer sessions, so a
		// later load still follows it whole (see followingChain). The rest are marked again later.
		// By the entry as read (the chain's entries are the read's own): what to count it as.
		const owned = new Map<JournalEntry, JournalEntry>();
		let remarking = true;
		for (let index = chain.size() - 1; index >= 0; index--) {
			const entry = chain[index];
			if (entry.revision <= base || entry.revision > loaded) continue;
			const mine = remarking ? this.ownReplayed(journal, entry, loaded) : entry;
			// Superseded while the entry was rewritten (a rejoin, a hand-over): the other session counts them.
			if (!journal.current || journal.moved) return;
			if (mine.session !== journal.session) {
				remarking = false;
				journal.unowned.set(entry.revision, { entry, owned: markedAs(entry, journal.session, loaded) });
			}
			owned.set(entry, mine);
		}
		for (const entry of read) {
			if (entry.revision > base && entry.revision <= loaded) {
				const kept = owned.get(entry) ?? entry;
				let bytes = this.state.store.bytesOf(kept);
				// Its re-mark may have landed (see remarkUncertain): counted as the larger of the two until that is settled.
				if (journal.remarkUncertain.has(entry.revision)) bytes = math.max(bytes, this.state.store.bytesOf(markedAs(kept, journal.session, loaded)));
				if (kept.session !== journal.session) journal.foreign.set(entry.revision, kept.session);
				this.state.countJournaled(journal, entry.revision, bytes);
			} else {
				const bytes = this.state.store.bytesOf(entry);
				this.state.bytesUsed += bytes;
				if (entry.session !== journal.session) journal.foreign.set(entry.revision, entry.session);
				if (entry.revision === held) {
					journal.heldForBackup.set(entry.revision, bytes);
					continue;
				}
				// Covered by the stored build, or past a gap and so never replayable: no longer needed.
				obsolete.set(entry.revision, bytes);
				highest = math.max(highest, entry.revision);
			}
		}
		if (highest > loaded) {
			profile.Data.buildRevision = highest;
			this.saves.saveEarly(journal, true);
		}
		// A save may have landed while entries were rewritten: what it covers goes too, the entry held
		// for the backup included.
		if (held !== undefined) this.trimmer.releaseHeld(journal, journal.profileRevision);
		if (obsolete.size() > 0 || journal.ledger.storedRevision() > base) this.trimmer.storedUpTo(journal, journal.ledger.storedRevision());
		if (journal.unowned.size() > 0) this.scheduleRemark(journal);
	}

	/**
	 * Marks again, after a backoff, the replayed entries whose rewrite failed: under the older
	 * session's mark, that session (which may not know it was taken over) could trim them once its
	 * own copy covers them, though this session's build needs them until a save of its own does.
	 */
	private scheduleRemark(journal: PlayerJournal) {
		journal.remarkRetry.schedule(() => {
			// Newest first, stopping at the first failure, as on load (see adopt).
			const revisions: number[] = [];
			for (const [revision] of journal.unowned) revisions.push(revision);
			revisions.sort((a, b) => a > b);
			for (const revision of revisions) {
				if (!journal.current || journal.moved) return;
				const { entry, owned } = journal.unowned.get(revision)!;
				// Covered by a stored copy of this session's (its trim may be under way), or no longer
				// counted: nothing left to keep.
				if (revision <= journal.ledger.storedRevision() || !journal.ledger.journaled.has(revision)) {
					journal.unowned.delete(revision);
					continue;
				}
				if (journal.trimming.has(revision)) break;
				journal.remarking.add(revision);
				const result = this.state.store.remark(journal.map, owned, entry.session, this.state.config.entryExpirationSeconds);
				journal.remarking.delete(revision);
				if (result === "failed") {
					this.remarkMayHaveLanded(journal, owned);
					break;
				}
				// Settled: the stored entry's mark is known from here on.
				journal.remarkUncertain.delete(revision);
				journal.unowned.delete(revision);
				// Another session's now: not this session's to take.
				if (result === "other") continue;
				const before = journal.ledger.journaled.get(revision);
				// Uncounted meanwhile (a rejoin, a hand-over, a save's trim): nothing more to do.
				if (before === undefined) continue;
				if (result === "gone") {
					// The older session trimmed it: the chain has a gap here until a save of this session's
					// covers it, so nothing above it is durable meanwhile.
					this.state.bytesUsed -= before;
					journal.foreign.delete(revision);
					journal.ledger.trimmed(revision);
					this.saves.saveEarly(journal, true);
					continue;
				}
				journal.foreign.delete(revision);
				this.state.countJournaled(journal, revision, this.state.store.bytesOf(owned));
			}
			if (journal.unowned.size() === 0) journal.remarkRetry.reset();
			else if (journal.current && !journal.moved) this.scheduleRemark(journal);
		});
	}

	/**
	 * A re-mark of `owned`'s revision was reported failed, yet it may have landed: its trims match
	 * either mark (see remarkUncertain), and it counts as the larger of the two entries until a
	 * re-mark settles which one is stored.
	 */
	private remarkMayHaveLanded(journal: PlayerJournal, owned: JournalEntry) {
		const revision = owned.revision;
		if (journal.remarkUncertain.has(revision)) return;
		journal.remarkUncertain.add(revision);
		const before = journal.ledger.journaled.get(revision);
		if (before === undefined) return;
		this.state.countJournaled(journal, revision, math.max(before, this.state.store.bytesOf(owned)));
	}

	/** `entry` (replayed on load into a build at `loaded`) written again under this session's mark; the entry as it was when that fails. */
	private ownReplayed(journal: PlayerJournal, entry: JournalEntry, loaded: number): JournalEntry {
		if (entry.session === journal.session) return entry;
		const owned = markedAs(entry, journal.session, loaded);
		const problem = this.state.store.write(journal.map, owned, this.state.config.entryExpirationSeconds);
		// Not rewritten (or maybe rewritten): trimmed only while it is still the older session's, or
		// (when the rewrite may have landed) already this session's.
		if (problem !== undefined && !problem.occupied) journal.remarkUncertain.add(entry.revision);
		return problem === undefined ? owned : entry;
	}
}
