/**
 * Callers whose journal's write in their batch is over but who still wait for another write of
 * that journal, each with its batch's sequence and deadline (parallel arrays, in the order they
 * were held: holding one makes no table). Woken, deferred, once `released` lets them go or on the
 * first wake past their deadline.
 */
export class HeldCallers<Journal extends defined> {
	private readonly threads: thread[] = [];
	private readonly journals: Journal[] = [];
	private readonly sequences: number[] = [];
	private readonly deadlines: number[] = [];
	/** The soonest of `deadlines` (math.huge when none is held): a frame's wake before it has nothing to do. */
	private soonest = math.huge;

	hold(waiter: thread, journal: Journal, sequence: number, deadline: number) {
		this.threads.push(waiter);
		this.journals.push(journal);
		this.sequences.push(sequence);
		this.deadlines.push(deadline);
		this.soonest = math.min(this.soonest, deadline);
	}

	/**
	 * Wakes the callers whose deadline has passed by `now`, and those of `journal` (when given)
	 * that `released` lets go; the rest stay held.
	 */
	wake(journal: Journal | undefined, now: number, released: (journal: Journal, sequence: number, deadline: number) => boolean) {
		const threads = this.threads;
		const count = threads.size();
		if (count === 0) return;
		if (journal === undefined && now < this.soonest) return;
		const journals = this.journals;
		const sequences = this.sequences;
		const deadlines = this.deadlines;
		let kept = 0;
		let soonest = math.huge;
		for (let index = 0; index < count; index++) {
			const waitsOn = journals[index];
			if (now >= deadlines[index] || (waitsOn === journal && released(waitsOn, sequences[index], deadlines[index]))) {
				task.defer(threads[index]);
				continue;
			}
			threads[kept] = threads[index];
			journals[kept] = waitsOn;
			sequences[kept] = sequences[index];
			deadlines[kept] = deadlines[index];
			soonest = math.min(soonest, deadlines[index]);
			kept += 1;
		}
		this.soonest = soonest;
		for (let index = count - 1; index >= kept; index--) {
			threads.pop();
			journals.pop();
			sequences.pop();
			deadlines.pop();
		}
	}
}
