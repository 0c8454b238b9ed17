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
	/**
	 * Journal entries in the MemoryStore (written or found there), by revision, with their bytes.
	 * Change it only through this class's methods: they keep the durable revision up to date.
	 */
	readonly journaled: ReadonlyMap<number, number> = new Map<number, number>();
	/** Changes whose journal write has not succeeded yet, by revision. */
	readonly unjournaled = new Map<number, JournalEntry>();
	/** The sum of `journaled`'s bytes, kept as it changes (the early saves compare it across players). */
	private journaledTotal = 0;
	/** Replaced builds (see barrier) no stored copy covers yet. */
	private readonly barriers = new Set<number>();
	/**
	 * Acknowledged changes, oldest first, as parallel arrays (revision, when acknowledged): no
	 * table per change. Those before `firstPending` are durable. Asked on every placement, so the
	 * oldest pending one is found without a scan.
	 */
	private readonly acknowledgedRevisions: number[] = [];
	private readonly acknowledgedAt: number[] = [];
	private firstPending = 0;
	private stored: number;
	/**
	 * The stored revision plus the gap-free run of journaled revisions above it, kept as they
	 * change: walking the run on every ask cost time in proportion to the changes since the last
	 * save, on every placement.
	 */
	private durable: number;

	constructor(storedRevision: number) {
		this.stored = storedRevision;
		this.durable = storedRevision;
	}

	private entries(): Map<number, number> {
		return this.journaled as Map<number, number>;
	}

	private extendDurable() {
		while (this.journaled.has(this.durable + 1)) this.durable += 1;
	}

	/** The newest revision a stored copy (profile save, backup, the loaded build) covers. */
	storedRevision(): number {
		return this.stored;
	}

	/** The newest revision that would survive a crash now: the stored copy plus the journal without gaps. */
	durableRevision(): number {
		return this.durable;
	}

	durabilityOf(revision: number): Durability {
		return revision <= this.durableRevision() ? "durable" : "pending";
	}

	/** A change the client is about to be told of, made at `now`. */
	acknowledge(entry: JournalEntry, now: number) {
		this.unjournaled.set(entry.revision, entry);
		this.waitFrom(entry.revision, now);
	}

	private waitFrom(revision: number, now: number) {
		const times = this.acknowledgedAt;
		let index = times.size();
		while (index > this.firstPending && times[index - 1] > now) index -= 1;
		this.acknowledgedRevisions.insert(index, revision);
		times.insert(index, now);
	}

	/**
	 * A change at `revision` that cannot be journaled (a whole build replaced by a recovery or
	 * rollback): only a stored copy covers it, so it and every later change stay pending until
	 * a save covering it lands.
	 */
	barrier(revision: number, now: number) {
		this.barriers.add(revision);
		this.waitFrom(revision, now);
	}

	/** The lowest change in no journal entry and no stored copy (waiting for its write, or a replaced build). */
	lowestUncovered(): number | undefined {
		let lowest: number | undefined;
		for (const [revision] of this.unjournaled) if (lowest === undefined || revision < lowest) lowest = revision;
		for (const revision of this.barriers) if (lowest === undefined || revision < lowest) lowest = revision;
		return lowest;
	}

	/** The change of `revision` is in the journal (`bytes` of MemoryStore memory); returns what it counted as before (0 when it was not). */
	journal(revision: number, bytes: number): number {
		const before = this.journaled.get(revision) ?? 0;
		this.journaledTotal += bytes - before;
		this.entries().set(revision, bytes);
		this.unjournaled.delete(revision);
		if (revision === this.durable + 1) this.extendDurable();
		return before;
	}

	/**
	 * A stored copy now covers every change up to `revision`. Returns the journal entries that
	 * are no longer needed (revision and bytes), for trimming.
	 */
	storedUpTo(revision: number): Array<[revision: number, bytes: number]> {
		if (revision > this.stored) this.stored = revision;
		if (this.stored > this.durable) this.durable = this.stored;
		this.extendDurable();
		const trimmable: Array<[number, number]> = [];
		for (const [journaledRevision, bytes] of this.journaled) {
			if (journaledRevision <= this.stored) trimmable.push([journaledRevision, bytes]);
		}
		for (const [pendingRevision] of this.unjournaled) {
			if (pendingRevision <= this.stored) this.unjournaled.delete(pendingRevision);
		}
		for (const barrier of this.barriers) if (barrier <= this.stored) this.barriers.delete(barrier);
		return trimmable;
	}

	/** Forgets a trimmed entry. */
	trimmed(revision: number) {
		this.journaledTotal -= this.journaled.get(revision) ?? 0;
		this.entries().delete(revision);
		if (revision > this.stored && revision <= this.durable) {
			// A gap opened inside the run: it now ends just below it.
			this.durable = this.stored;
			this.extendDurable();
		}
	}

	/** Forgets every journal entry (another session on this server owns them now). */
	forgetJournal() {
		this.entries().clear();
		this.journaledTotal = 0;
		this.durable = this.stored;
	}

	/** How many changes wait for a journal write (no list built: health reads it on every status). */
	waitingCount(): number {
		return this.unjournaled.size();
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
		const durable = this.durable;
		const revisions = this.acknowledgedRevisions;
		const times = this.acknowledgedAt;
		while (this.firstPending < revisions.size() && revisions[this.firstPending] <= durable) this.firstPending += 1;
		if (this.firstPending > 64 && this.firstPending * 2 > revisions.size()) {
			// Moved down in place: the durable ones before `firstPending` are dropped.
			const first = this.firstPending;
			const last = revisions.size() - 1;
			revisions.move(first, last, 0);
			times.move(first, last, 0);
			for (let index = last; index > last - first; index--) {
				revisions.pop();
				times.pop();
			}
			this.firstPending = 0;
		}
		// Oldest first: the first one not yet durable has waited longest.
		const oldest = times[this.firstPending];
		return oldest === undefined ? 0 : now - oldest;
	}

	/** Journal bytes this player holds in the MemoryStore. */
	journaledBytes(): number {
		return this.journaledTotal;
	}
}
