/**
 * MemoryStore request units spent over the last minute, counted as the experience quota counts
 * them. Requests older than the window are dropped as new ones are added, so it holds at most a
 * window's requests whether or not anyone reads it.
 */
export class RequestMeter {
	private readonly spent: Array<[at: number, units: number]> = [];
	/** Index of the oldest request still in the window (those before it are dropped in bulk). */
	private head = 0;
	private total = 0;

	constructor(private readonly windowSeconds = 60) {}

	add(now: number, units: number) {
		this.spent.push([now, units]);
		this.total += units;
		this.expire(now);
	}

	/** Units spent in the window ending at `now`. */
	lastWindow(now: number): number {
		this.expire(now);
		return this.total;
	}

	private expire(now: number) {
		const spent = this.spent;
		while (this.head < spent.size() && spent[this.head][0] <= now - this.windowSeconds) {
			this.total -= spent[this.head][1];
			this.head += 1;
		}
		// Compacted once the dropped part is the larger: each request is moved at most a few times.
		if (this.head > 0 && this.head * 2 >= spent.size()) {
			const kept = spent.size() - this.head;
			for (let index = 0; index < kept; index++) spent[index] = spent[this.head + index];
			for (let index = spent.size() - 1; index >= kept; index--) spent.remove(index);
			this.head = 0;
		}
	}
}
