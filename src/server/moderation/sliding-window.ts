//!native
/**
 * Counts events in the last `windowSeconds` (an event at time t counts while now - t is less
 * than the window), from timestamps the caller supplies. Timestamps live in a fixed ring of
 * `capacity` slots and expired ones are dropped as time passes, so memory never grows.
 *
 * When more than `capacity` events fall in one window the oldest are overwritten: counts
 * saturate at `capacity`, which keeps {@link SlidingWindow.wouldExceed} exact for any limit up
 * to `capacity`.
 */
export class SlidingWindow {
	private readonly times: number[] = [];
	/** Index of the oldest kept timestamp. */
	private head = 0;
	private kept = 0;
	private newest = -math.huge;

	constructor(
		private readonly windowSeconds: number,
		private readonly capacity: number,
	) {
		assert(windowSeconds > 0, "SlidingWindow needs a positive window");
		assert(capacity >= 1 && capacity % 1 === 0, "SlidingWindow needs a whole capacity of at least 1");
		for (let index = 0; index < capacity; index++) {
			this.times[index] = 0;
		}
	}

	/**
	 * Records one event at `now`. A timestamp earlier than the newest recorded one is treated
	 * as the newest (clocks passed in are expected not to go backwards).
	 */
	record(now: number) {
		const at = math.max(now, this.newest);
		this.newest = at;
		this.expire(at);
		if (this.kept === this.capacity) {
			this.times[this.head] = at;
			this.head = (this.head + 1) % this.capacity;
		} else {
			this.times[(this.head + this.kept) % this.capacity] = at;
			this.kept += 1;
		}
	}

	/** Events recorded within the window ending at `now` (saturating at the capacity). */
	count(now: number): number {
		this.expire(now);
		return this.kept;
	}

	/** Whether recording one more event at `now` would put more than `limit` events in the window. */
	wouldExceed(now: number, limit: number): boolean {
		assert(limit <= this.capacity, "wouldExceed needs a limit no larger than the capacity");
		return this.count(now) + 1 > limit;
	}

	/** Forgets every event. */
	clear() {
		this.head = 0;
		this.kept = 0;
		this.newest = -math.huge;
	}

	private expire(now: number) {
		const oldestKept = now - this.windowSeconds;
		while (this.kept > 0 && this.times[this.head] <= oldestKept) {
			this.head = (this.head + 1) % this.capacity;
			this.kept -= 1;
		}
	}
}
