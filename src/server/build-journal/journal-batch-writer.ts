import { HeldCallers } from "./held-callers";

/**
 * The changes acknowledged in one resumption cycle (every request a frame delivers is handled in
 * one), waiting together for the write that covers them. Parallel arrays, so queuing a change
 * makes no table.
 */
interface Batch<Journal extends defined, Entry extends defined> {
	readonly journals: Journal[];
	readonly entries: Entry[];
	/**
	 * The threads waiting in `enqueue` for this batch, by the journal each waits on (in the order
	 * they queued), until they are woken: waking one journal's callers never walks the others'.
	 */
	readonly waiters: Map<Journal, thread[]>;
	/** Each journal with its entries in the order they were queued; filled by the flush, left by a journal once its write is over. */
	readonly byJournal: Map<Journal, Entry[]>;
	/** The order the flushes started in (batches of one journal are written in this order). */
	sequence: number;
	/** When the waiters are woken even if the writes have not finished (time()); set by the flush. */
	deadline: number;
	/** Players' writes still under way (plus one while the flush is starting them). */
	writing: number;
	/** When the flush started (the measuring clock's time) and the engine clock then. */
	startedAt: number;
	engineAtStart: number;
	heapAtStart: number;
}

/** Real seconds one flush took, the emulated engine's share of them, and the entries it wrote. */
export interface FlushCost {
	readonly seconds: number;
	readonly engineSeconds: number;
	readonly entries: number;
	/** KB the heap grew by meanwhile (less whatever the collector freed then). */
	readonly heapKb: number;
}

/**
 * Writes a journal's entries of a batch; returns whether its callers wait for a retry of the
 * journal's failed write (if it can land before their deadline). They do when the entries were
 * left to a retry already waiting to run (it writes every entry still unwritten), or were written
 * while such a retry was writing earlier entries, without which these are not durable.
 */
export type BatchWrite<Journal, Entry> = (journal: Journal, entries: readonly Entry[]) => boolean;

/** What a worker thread runs: a flush (of a batch) or one player's write (of its entries in a batch). */
type Job<Journal extends defined, Entry extends defined> = (batch: Batch<Journal, Entry>, journal: Journal, list: Entry[]) => void;

/** Idle worker threads kept at most (a burst of many players' writes leaves no more behind). */
const MAX_IDLE_WORKERS = 16;

/** Emptied waiter lists kept at most: every journal of two overlapping batches of a 50-player server (a stalled store's backlog leaves no more behind). */
const MAX_FREE_WAITER_LISTS = 100;

/**
 * Collects journal entries and writes them in one step per resumption cycle instead of one
 * writer thread per change: the first change of a cycle defers a flush (it runs once every
 * request handled now has queued its change), and the flush hands each journal all its entries
 * at once (`writeAll` writes them and claims the journal once after them). A caller that waits
 * is woken once its journal's write in its batch and in every earlier batch is over (or the
 * retry its entries were left to), or by `wakeOverdue` on the first frame past its batch's
 * timeout, whichever is first: no timer or thread per change.
 */
export class JournalBatchWriter<Journal extends defined, Entry extends defined> {
	private batch?: Batch<Journal, Entry>;
	/** A written batch's tables, cleared for the next one. */
	private spare?: Batch<Journal, Entry>;
	/** Batches whose writes are under way. */
	private readonly outstanding = new Set<Batch<Journal, Entry>>();
	private batchesWritten = 0;
	private entriesQueued = 0;
	private clock?: () => number;
	private engineClock?: () => number;
	/** Updated in place (measuring makes no table per call): read them before the next flush. */
	private readonly lastFlush: Writable<FlushCost> = { seconds: 0, engineSeconds: 0, entries: 0, heapKb: 0 };
	private readonly lastWait: Writable<FlushCost> = { seconds: 0, engineSeconds: 0, entries: 0, heapKb: 0 };
	/**
	 * Threads the flushes and the players' writes run on, waiting idle between jobs: a flush runs
	 * every cycle with changes and each player's write yields on its requests (so gets a thread of
	 * its own), and a new thread per job cost a thread (its stack and all) each time.
	 */
	private readonly idleWorkers: thread[] = [];
	/** Emptied lists of one journal's waiters, for the next journal whose caller waits: queuing one makes no table. */
	private readonly freeWaiterLists: thread[][] = [];
	/**
	 * Callers whose journal's write in their batch is over while an earlier batch's write of it, or
	 * a retry of its failed write, is not (durability is contiguous: their change becomes durable
	 * with those).
	 */
	private readonly held = new HeldCallers<Journal>();

	constructor(
		private readonly writeAll: BatchWrite<Journal, Entry>,
		private readonly timeoutSeconds: () => number,
		/** Whether a retry of the journal's failed write is running, or waiting to run by `deadline` (time()). */
		private readonly retryUnderWayBy: (journal: Journal, deadline: number) => boolean,
	) {}

	/**
	 * Queues `entry` of `journal` for this cycle's write; waits (yields) until it has been written
	 * or the timeout passed when `wait` is true and the timeout is not 0.
	 */
	enqueue(journal: Journal, entry: Entry, wait: boolean) {
		let batch = this.batch;
		if (batch === undefined) {
			batch = this.spare ?? {
				journals: [],
				entries: [],
				waiters: new Map(),
				byJournal: new Map(),
				sequence: 0,
				deadline: math.huge,
				writing: 0,
				startedAt: 0,
				engineAtStart: 0,
				heapAtStart: 0,
			};
			this.spare = undefined;
			this.batch = batch;
			this.runJob(false, this.flush, batch);
		}
		const index = batch.entries.size();
		batch.journals[index] = journal;
		batch.entries[index] = entry;
		this.entriesQueued += 1;
		if (!wait || this.timeoutSeconds() <= 0) return;
		let waiting = batch.waiters.get(journal);
		if (waiting === undefined) {
			waiting = this.freeWaiterLists.pop() ?? [];
			batch.waiters.set(journal, waiting);
		}
		waiting.push(coroutine.running());
		const clock = this.clock;
		if (clock === undefined) {
			coroutine.yield();
			return;
		}
		const startedAt = clock();
		const engineAtStart = this.engineClock!();
		const heapAtStart = collectgarbage("count");
		coroutine.yield();
		const waited = this.lastWait;
		waited.seconds = clock() - startedAt;
		waited.engineSeconds = this.engineClock!() - engineAtStart;
		waited.heapKb = collectgarbage("count") - heapAtStart;
		waited.entries = 1;
	}

	/** Batches flushed and entries queued so far (the requests a flush makes are the journal's to count). */
	counts(): { batches: number; entries: number } {
		return { batches: this.batchesWritten, entries: this.entriesQueued };
	}

	/**
	 * Times every flush with `clock` (and the engine's share with `engineClock`): benchmarks pass
	 * the host's clocks, to tell a placement's own work from its share of the batch write.
	 */
	measureWith(clock: () => number, engineClock: () => number) {
		this.clock = clock;
		this.engineClock = engineClock;
	}

	/** What the last flush cost, from the start of its writes until its waiters were woken (updated in place). */
	lastFlushCost(): FlushCost {
		return this.lastFlush;
	}

	/**
	 * The real time the last resumed waiter spent waiting (from its yield until it ran again):
	 * what ran meanwhile (the flush, other threads) was not that call's own work (updated in place).
	 */
	lastWaitTime(): FlushCost {
		return this.lastWait;
	}

	/** Runs `job` on an idle worker, or a new one: at once when `now`, else at the next resumption point. */
	private runJob(now: boolean, job: Job<Journal, Entry>, batch: Batch<Journal, Entry>, journal?: Journal, list?: Entry[]) {
		const worker = this.idleWorkers.pop();
		if (worker !== undefined) {
			if (now) task.spawn(worker, job, batch, journal, list);
			else task.defer(worker, job, batch, journal, list);
		} else if (now) task.spawn(this.work, job, batch, journal, list);
		else task.defer(this.work, job, batch, journal, list);
	}

	/** A worker thread's loop: a job, then idle (suspended) until handed the next. */
	private readonly work = (firstJob: Job<Journal, Entry>, firstBatch: Batch<Journal, Entry>, firstJournal?: Journal, firstList?: Entry[]) => {
		let job = firstJob;
		let batch = firstBatch;
		let journal = firstJournal;
		let list = firstList;
		for (;;) {
			// A flush takes the batch only; a write also its journal and entries.
			job(batch, journal as Journal, list as Entry[]);
			if (this.idleWorkers.size() >= MAX_IDLE_WORKERS) return;
			// Nothing yields between here and the yield: no one can hand this thread a job before it waits.
			this.idleWorkers.push(coroutine.running());
			const [givenJob, givenBatch, givenJournal, givenList] = coroutine.yield();
			job = givenJob as Job<Journal, Entry>;
			batch = givenBatch as Batch<Journal, Entry>;
			journal = givenJournal as Journal | undefined;
			list = givenList as Entry[] | undefined;
		}
	};

	/**
	 * Writes the batch: every player's entries at once, each player's own in order (their writes
	 * yield on every request, so one player's slow or retried write never holds up another's).
	 * While the writes are under way the batch is outstanding: `wakeOverdue` wakes its waiters
	 * once its deadline passes. The flush runs at the resumption point right after the changes
	 * were queued, so the deadline starts with them.
	 */
	private readonly flush = (batch: Batch<Journal, Entry>) => {
		// Changes acknowledged from now on go into the next batch.
		if (this.batch === batch) this.batch = undefined;
		this.batchesWritten += 1;
		batch.sequence = this.batchesWritten;
		batch.startedAt = this.clock !== undefined ? this.clock() : 0;
		batch.engineAtStart = this.engineClock !== undefined ? this.engineClock() : 0;
		batch.heapAtStart = this.clock !== undefined ? collectgarbage("count") : 0;
		batch.deadline = time() + this.timeoutSeconds();
		this.outstanding.add(batch);
		const byJournal = batch.byJournal;
		const journals = batch.journals;
		const entries = batch.entries;
		for (let index = 0; index < entries.size(); index++) {
			const journal = journals[index];
			const list = byJournal.get(journal);
			if (list === undefined) byJournal.set(journal, [entries[index]]);
			else list.push(entries[index]);
		}
		// Held at one until every write has started, so a write that finishes without yielding
		// cannot end the batch while the map is still being walked.
		batch.writing = 1;
		for (const [journal, list] of byJournal) {
			batch.writing += 1;
			this.runJob(true, this.writeOne, batch, journal, list);
		}
		this.writeDone(batch);
	};

	private readonly writeOne = (batch: Batch<Journal, Entry>, journal: Journal, list: Entry[]) => {
		// One player's failure must not keep the others' changes from being written.
		const [ok, waitsForRetry] = pcall(this.writeAll, journal, list);
		if (!ok) warn(`build journal batch write failed: ${waitsForRetry}`);
		batch.byJournal.delete(journal);
		// This player's callers are answered now, or once the player's earlier writes (or the retry
		// their entries were left to) are over; then so are those of later batches held for this one:
		// another player's slow write never holds them up.
		this.wakeJournal(batch, journal, ok && waitsForRetry === true);
		this.held.wake(journal, time(), this.released);
		this.writeDone(batch);
	};

	/**
	 * A retry of `journal`'s failed write is over (landed or failed again): the callers held for it
	 * are answered now (durable if it landed), unless an earlier write is still under way or the
	 * next retry can still land before their deadline.
	 */
	retryOver(journal: Journal) {
		this.held.wake(journal, time(), this.released);
	}

	/** Whether a batch flushed before the `sequence`-th still has `journal`'s write under way. */
	private writingBefore(sequence: number, journal: Journal): boolean {
		for (const other of this.outstanding) {
			if (other.sequence < sequence && other.byJournal.has(journal)) return true;
		}
		return false;
	}

	/**
	 * Whether a held caller of `journal` in the `sequence`-th batch can be answered: no earlier
	 * batch's write of it is under way, and no retry that could land before the caller's deadline.
	 */
	private readonly released = (journal: Journal, sequence: number, deadline: number) =>
		!this.writingBefore(sequence, journal) && !this.retryUnderWayBy(journal, deadline);

	/**
	 * Wakes the threads of `batch` waiting on `journal`'s write (deferred, as wakeAll does), or
	 * holds them while an earlier batch's write of `journal` is under way, or the retry their
	 * entries wait for (`waitsForRetry`) can still land before their deadline; the rest keep waiting.
	 * A retry due only after the deadline holds nobody: they are answered now, not at the deadline.
	 */
	private wakeJournal(batch: Batch<Journal, Entry>, journal: Journal, waitsForRetry: boolean) {
		const waiting = batch.waiters.get(journal);
		if (waiting === undefined) return;
		batch.waiters.delete(journal);
		const hold = (waitsForRetry && this.retryUnderWayBy(journal, batch.deadline)) || this.writingBefore(batch.sequence, journal);
		if (hold) for (const waiter of waiting) this.held.hold(waiter, journal, batch.sequence, batch.deadline);
		else for (const waiter of waiting) task.defer(waiter);
		this.freeWaiterList(waiting);
	}

	private freeWaiterList(waiting: thread[]) {
		waiting.clear();
		if (this.freeWaiterLists.size() < MAX_FREE_WAITER_LISTS) this.freeWaiterLists.push(waiting);
	}

	/**
	 * One player's write (or the flush's start) is over; the last one ends the batch (each
	 * journal's write has woken its own waiters by then, unless the timeout woke them first).
	 */
	private writeDone(batch: Batch<Journal, Entry>) {
		batch.writing -= 1;
		if (batch.writing > 0) return;
		this.outstanding.delete(batch);
		if (this.clock !== undefined) {
			const flush = this.lastFlush;
			flush.seconds = this.clock() - batch.startedAt;
			flush.engineSeconds = this.engineClock!() - batch.engineAtStart;
			flush.heapKb = collectgarbage("count") - batch.heapAtStart;
			flush.entries = batch.entries.size();
		}
		batch.journals.clear();
		batch.entries.clear();
		batch.byJournal.clear();
		batch.deadline = math.huge;
		// Free for the next cycle before its waiters wake: one that changes its build again at once
		// queues into it instead of a new batch.
		this.spare = batch;
		this.wakeAll(batch);
	}

	/** Wakes the waiters of every batch, and the held ones, whose writes have outlasted the timeout (called every frame). */
	wakeOverdue(now: number) {
		for (const batch of this.outstanding) {
			if (now >= batch.deadline) this.wakeAll(batch);
		}
		this.held.wake(undefined, now, this.released);
	}

	/** Wakes every thread still waiting for `batch`, once: by the timeout (or the batch's end, should any be left). */
	private wakeAll(batch: Batch<Journal, Entry>) {
		const waiters = batch.waiters;
		// Deferred, not resumed here: a woken caller runs after the flush (or this frame's upkeep)
		// is over, so its next change never finds the flusher busy running it.
		for (const [, waiting] of waiters) {
			for (const waiter of waiting) task.defer(waiter);
			this.freeWaiterList(waiting);
		}
		waiters.clear();
	}
}
