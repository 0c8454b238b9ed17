import { SaveState } from "shared/placement/placement-types";
import { JournalEntry } from "./journal-entry";

/** What the client is told about an acknowledged change. */
export type Durability = SaveState;

/**
 * One player's durability bookkeeping, engine-free: which revisions are covered by a stored
 * copy (a landed profile save, the backup or profile the build was loaded from), which are in
 * the journal, which still wait for a journal write, and since when something has been pending.
 * A revision is durable when every change from the stored copy up to it is covered: the
 * journal can only be replayed without gaps.
 */
export class DurabilityLedger {
	/** Journal entries in the MemoryStore (written or found there), by revision, with their bytes. */
	readonly journaled = new Map<number, number>();
	/** Changes whose journal write has not succeeded yet, by revision. */
	readonly unjournaled = new Map<number, JournalEntry>();
	private readonly acknowledgedAt = new Map<number, number>();
	private stored: number;

	constructor(storedRevision: number) {
		this.stored = storedRevision;
	}

	/** The newest revision a stored copy (profile save, backup, the loaded build) covers. */
	storedRevision(): number {
		return this.stored;
	}

	/** The newest revision that would survive a crash now: the stored copy plus the journal without gaps. */
	durableRevision(): number {
		let revision = this.stored;
		while (this.journaled.has(revision + 1)) revision += 1;
		return revision;
	}

	durabilityOf(revision: number): Durability {
		return revision <= this.durableRevision() ? "durable" : "pending";
	}

	/** A change the client is about to be told of, made at `now`. */
	acknowledge(entry: JournalEntry, now: number) {
		this.unjournaled.set(entry.revision, entry);
		this.acknowledgedAt.set(entry.revision, now);
	}

	/**
	 * A change at `revision` that cannot be journaled (a whole build replaced by a recovery or
	 * rollback): only a stored copy covers it, so it and every later change stay pending until
	 * a save covering it lands.
	 */
	barrier(revision: number, now: number) {
		this.acknowledgedAt.set(revision, now);
	}

	/** The change of `revision` is in the journal (`bytes` of MemoryStore memory). */
	journal(revision: number, bytes: number) {
		this.journaled.set(revision, bytes);
		this.unjournaled.delete(revision);
	}

	/**
	 * A stored copy now covers every change up to `revision`. Returns the journal entries that
	 * are no longer needed (revision and bytes), for trimming.
	 */
	storedUpTo(revision: number): Array<[revision: number, bytes: number]> {
		if (revision > this.stored) this.stored = revision;
		const trimmable: Array<[number, number]> = [];
		for (const [journaledRevision, bytes] of this.journaled) {
			if (journaledRevision <= this.stored) trimmable.push([journaledRevision, bytes]);
		}
		for (const [pendingRevision] of this.unjournaled) {
			if (pendingRevision <= this.stored) this.unjournaled.delete(pendingRevision);
		}
		return trimmable;
	}

	/** Forgets a trimmed entry. */
	trimmed(revision: number) {
		this.journaled.delete(revision);
	}

	/** Changes still waiting for a journal write, oldest first (those a stored copy covers are dropped). */
	waiting(): JournalEntry[] {
		const entries: JournalEntry[] = [];
		for (const [, entry] of this.unjournaled) entries.push(entry);
		entries.sort((a, b) => a.revision < b.revision);
		return entries;
	}

	/** Seconds the oldest acknowledged but not durable change has waited at `now`; 0 when none. */
	pendingSeconds(now: number): number {
		const durable = this.durableRevision();
		let oldest: number | undefined;
		for (const [revision, at] of this.acknowledgedAt) {
			if (revision <= durable) this.acknowledgedAt.delete(revision);
			else oldest = oldest === undefined ? at : math.min(oldest, at);
		}
		return oldest === undefined ? 0 : now - oldest;
	}

	/** Journal bytes this player holds in the MemoryStore. */
	journaledBytes(): number {
		let total = 0;
		for (const [, bytes] of this.journaled) total += bytes;
		return total;
	}
}
