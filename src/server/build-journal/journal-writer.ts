import { EarlySaves } from "./early-saves";
import { encodeEntry, JournalEntry } from "./journal-entry";
import { JournalState } from "./journal-state";
import { JournalTrimmer } from "./journal-trimmer";
import { PlayerJournal } from "./player-journal";

/** Writes a player's journal entries to the MemoryStore and claims the journal after them, retrying what failed. */
export class JournalWriter {
	constructor(
		private readonly state: JournalState,
		private readonly trimmer: JournalTrimmer,
		private readonly saves: EarlySaves,
		/** A retry's write is over (landed or failed again): the callers waiting for it may be answered. */
		private readonly retryOver: (journal: PlayerJournal) => void,
	) {}

	/**
	 * Writes a player's entries in order, then claims the journal once after them; on failure
	 * schedules a retry and asks for a profile save. Returns whether every entry landed.
	 */
	write(journal: PlayerJournal, entries: readonly JournalEntry[]): boolean {
		if (!journal.current || journal.moved) return false;
		const written: JournalEntry[] = [];
		const sizes: number[] = [];
		// This write's share of `bytesWriting`, given back once its entries are counted or failed.
		let reserved = 0;
		let failed: "budget" | "write" | undefined;
		// Superseded or taken over meanwhile: nothing written is this session's to claim or count.
		let abandoned = false;
		// Read once (it counts the server's players), here and for the claim's early-save check.
		const budget = this.state.memoryBudget();
		for (const entry of entries) {
			// Each write yields: a session superseded meanwhile writes nothing more.
			if (!journal.current || journal.moved) {
				abandoned = true;
				break;
			}
			if (entry.revision <= journal.ledger.storedRevision()) continue;
			const encoded = encodeEntry(entry);
			const bytes = this.state.store.bytesOf(entry, encoded);
			if (this.state.bytesUsed + this.state.bytesWriting + bytes > budget) {
				failed = "budget";
				break;
			}
			this.state.bytesWriting += bytes;
			reserved += bytes;
			const problem = this.state.store.write(journal.map, entry, this.state.config.entryExpirationSeconds, encoded);
			if (problem !== undefined && problem.occupied) {
				// A newer session of the player holds the journal: this one was taken over. Nothing was
				// written, so nothing of the other session's is listed for trimming.
				this.state.writeFailures += 1;
				this.trimmer.takenOver(journal);
				warn(`${journal.userId}'s build is held by another session (${problem.problem}); this server stops accepting their changes`);
				abandoned = true;
				break;
			}
			if (problem !== undefined) {
				this.state.writeFailures += 1;
				journal.maybeStored.add(entry.revision);
				warn(`build journal write failed (revision ${entry.revision} of ${journal.userId}): ${problem.problem}`);
				failed = "write";
				break;
			}
			written.push(entry);
			sizes.push(bytes);
		}
		// Given back only once the entries are counted (or will not be): never a moment when neither
		// shows them. Given back on every way out, the claim throwing included, or the budget would
		// shrink for good.
		let claimed = !abandoned;
		let thrown: unknown;
		if (claimed && written.size() > 0) {
			const [ok, result] = pcall(this.claimWritten, journal, written, sizes, budget);
			if (ok) claimed = result;
			else thrown = result;
		}
		this.state.bytesWriting -= reserved;
		if (thrown !== undefined) error(thrown, 0);
		if (abandoned) return false;
		this.trimCoveredFailures(journal);
		if (!claimed) return false;
		if (failed === "budget") {
			// Over this server's allowance: a save will trim the journal; the change waits for it.
			this.saves.saveLargest();
			this.scheduleRetry(journal);
		} else if (failed === "write") {
			this.saves.saveEarly(journal);
			this.scheduleRetry(journal);
		}
		return failed === undefined;
	}

	/** Claims the journal after `written` (this session's entries just written) and counts them once it stands. */
	private readonly claimWritten = (journal: PlayerJournal, written: readonly JournalEntry[], sizes: readonly number[], budget: number): boolean => {
		// The entries count only once this session's claim stands after them (and, if it had to be
		// created, the stored profile shows no newer session): a newer session that claimed before
		// then may not have read them, and answers for the player now. A session superseded while they
		// were written answers nothing durable, so it claims nothing (a claim made now would only be
		// left for the newer session's to replace, or to expire).
		if (!journal.current || journal.moved) return false;
		const claim = journal.claim.confirm(journal.map, this.state.config.claimExpirationSeconds);
		if (claim === "newer") {
			this.state.writeFailures += 1;
			this.trimmer.takenOver(journal);
			warn(`${journal.userId}'s build journal is claimed by a newer session; this server stops accepting their changes`);
			return false;
		}
		if (claim !== "held") {
			this.state.writeFailures += 1;
			for (const entry of written) journal.maybeStored.add(entry.revision);
			warn(`build journal claim failed after revision ${written[written.size() - 1].revision} of ${journal.userId}: ${claim.problem}`);
			this.saves.saveEarly(journal);
			this.scheduleRetry(journal);
			return false;
		}
		// Superseded meanwhile (a rejoin, a hand-over): the entries are the other session's to count.
		if (!journal.current || journal.moved) return false;
		let coveredMeanwhile = false;
		for (let index = 0; index < written.size(); index++) {
			const revision = written[index].revision;
			journal.maybeStored.delete(revision);
			// Written twice (a retry took an entry a slower write of it had not yet counted): counted once.
			if (this.state.countJournaled(journal, revision, sizes[index]) === 0) this.state.entriesWritten += 1;
			if (revision <= journal.ledger.storedRevision()) coveredMeanwhile = true;
		}
		journal.writeRetry.reset();
		// A save may have landed while the writes were under way.
		if (coveredMeanwhile) this.trimmer.storedUpTo(journal, journal.ledger.storedRevision());
		if (this.state.bytesUsed > budget * this.state.config.earlySaveAtShare) this.saves.saveLargest();
		return true;
	};

	/**
	 * A save that landed while a write was under way covers a revision whose write was then
	 * reported failed: no later save lists it, so it is trimmed now, in case it was stored after
	 * all (otherwise it would keep the departed player's journal, and its quota, for good).
	 */
	private trimCoveredFailures(journal: PlayerJournal) {
		const stored = journal.ledger.storedRevision();
		for (const revision of journal.maybeStored) {
			if (revision <= stored && !journal.ledger.journaled.has(revision)) {
				this.trimmer.storedUpTo(journal, stored);
				return;
			}
		}
	}

	private scheduleRetry(journal: PlayerJournal) {
		journal.writeRetry.schedule(
			() => this.write(journal, journal.ledger.waiting()),
			() => this.retryOver(journal),
		);
	}
}
