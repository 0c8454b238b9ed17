//!native
/** Figures over the samples currently in a {@link RollingSamples} window. */
export interface SampleSummary {
	readonly count: number;
	readonly average: number;
	readonly p50: number;
	readonly p95: number;
	readonly p99: number;
}

/**
 * The last `capacity` samples of a measurement (a request duration, a payload size, …) in a
 * fixed ring buffer: recording never allocates, and the oldest sample makes room for the newest.
 */
export class RollingSamples {
	private readonly values: number[] = [];
	/** Sorted copy for percentiles; grows to `capacity` once and is reused. */
	private readonly scratch: number[] = [];
	private next = 0;
	private filled = 0;

	constructor(private readonly capacity: number) {
		assert(capacity >= 1 && capacity % 1 === 0, "RollingSamples needs a whole capacity of at least 1");
		for (let index = 0; index < capacity; index++) {
			this.values[index] = 0;
		}
	}

	/** Adds a sample, replacing the oldest one once the window is full. NaN is rejected. */
	record(value: number) {
		assert(value === value, "RollingSamples cannot record NaN");
		this.values[this.next] = value;
		this.next = (this.next + 1) % this.capacity;
		if (this.filled < this.capacity) this.filled += 1;
	}

	/** Samples in the window (at most the capacity). */
	count(): number {
		return this.filled;
	}

	/**
	 * Mean of the window; 0 when empty. Summed on each call rather than kept as a running total,
	 * which would drift after millions of add/subtract pairs.
	 */
	average(): number {
		if (this.filled === 0) return 0;
		let total = 0;
		for (let index = 0; index < this.filled; index++) {
			total += this.values[index];
		}
		return total / this.filled;
	}

	/**
	 * Nearest-rank percentile of the window: the smallest sample with at least `p` percent of
	 * the samples at or below it (`p` = 0 gives the minimum, 100 the maximum); 0 when empty.
	 */
	percentile(p: number): number {
		assert(p >= 0 && p <= 100, "percentile needs p in 0..100");
		if (this.filled === 0) return 0;
		this.sortScratch();
		return this.rank(p);
	}

	/** Count, mean and the 50th/95th/99th percentiles from one sort of the window. */
	summary(): SampleSummary {
		if (this.filled === 0) return { count: 0, average: 0, p50: 0, p95: 0, p99: 0 };
		this.sortScratch();
		return {
			count: this.filled,
			average: this.average(),
			p50: this.rank(50),
			p95: this.rank(95),
			p99: this.rank(99),
		};
	}

	/** Forgets every sample (the buffers are kept). */
	clear() {
		this.next = 0;
		this.filled = 0;
		this.scratch.clear();
	}

	private sortScratch() {
		// The window only shrinks through clear(), which empties the scratch, so copying `filled`
		// values always leaves the scratch exactly `filled` long.
		const scratch = this.scratch;
		for (let index = 0; index < this.filled; index++) {
			scratch[index] = this.values[index];
		}
		scratch.sort();
	}

	private rank(p: number): number {
		// p * filled is exact for whole p, so a rank that should be whole never rounds up.
		const position = math.max(math.ceil((p * this.filled) / 100), 1);
		return this.scratch[position - 1];
	}
}
