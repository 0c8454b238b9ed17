/**
 * Tolerance on token comparisons: refills are computed in floating point, so 10 refills of
 * 0.1 s at 1 token/s must still afford a cost of 1.
 */
const EPSILON = 1e-9;

/**
 * A token bucket: holds up to `capacity` tokens, starts full and refills continuously at
 * `refillPerSecond`. Time is passed in explicitly (seconds, any monotonic clock); a timestamp
 * earlier than one already seen refills nothing.
 */
export class TokenBucket {
	private tokens: number;
	private lastRefill: number | undefined;

	constructor(
		private readonly capacity: number,
		private readonly refillPerSecond: number,
	) {
		assert(capacity > 0, "TokenBucket needs a positive capacity");
		assert(refillPerSecond >= 0, "TokenBucket needs a refill rate of at least 0");
		this.tokens = capacity;
	}

	/** Takes `cost` tokens if the bucket holds them at `now`; false (and nothing taken) otherwise. */
	tryTake(now: number, cost = 1): boolean {
		assert(cost >= 0, "tryTake needs a cost of at least 0");
		this.refill(now);
		if (this.tokens + EPSILON < cost) return false;
		this.tokens = math.max(this.tokens - cost, 0);
		return true;
	}

	/** Tokens in the bucket at `now`. */
	available(now: number): number {
		this.refill(now);
		return this.tokens;
	}

	/** Whether the bucket is full at `now` (a full bucket behaves exactly like a new one). */
	isFull(now: number): boolean {
		return this.available(now) >= this.capacity;
	}

	private refill(now: number) {
		const last = this.lastRefill;
		if (last === undefined) {
			this.lastRefill = now;
			return;
		}
		if (now <= last) return;
		this.tokens = math.min(this.capacity, this.tokens + (now - last) * this.refillPerSecond);
		this.lastRefill = now;
	}
}

/**
 * One {@link TokenBucket} per key (a player, a remote, …), created on first use with the same
 * capacity and refill rate.
 */
export class PerKeyRateLimiter<K> {
	private readonly buckets = new Map<K, TokenBucket>();

	constructor(
		private readonly capacity: number,
		private readonly refillPerSecond: number,
	) {
		assert(capacity > 0, "PerKeyRateLimiter needs a positive capacity");
		assert(refillPerSecond >= 0, "PerKeyRateLimiter needs a refill rate of at least 0");
	}

	/** Takes `cost` tokens from the bucket of `key`; false when it does not hold them at `now`. */
	tryTake(key: K, now: number, cost = 1): boolean {
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = new TokenBucket(this.capacity, this.refillPerSecond);
			this.buckets.set(key, bucket);
		}
		return bucket.tryTake(now, cost);
	}

	/** Tokens `key` could spend at `now` (the full capacity for an unknown key). */
	available(key: K, now: number): number {
		const bucket = this.buckets.get(key);
		return bucket ? bucket.available(now) : this.capacity;
	}

	/** Drops the bucket of `key` (e.g. when a player leaves). */
	forget(key: K) {
		this.buckets.delete(key);
	}

	/** Drops every bucket that has refilled completely, since a fresh one would behave the same. */
	prune(now: number) {
		for (const [key, bucket] of this.buckets) {
			if (bucket.isFull(now)) this.buckets.delete(key);
		}
	}

	/** Keys currently holding a bucket. */
	size(): number {
		return this.buckets.size();
	}
}
