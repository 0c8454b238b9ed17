import { describe, expect, it } from "@rbxts/jest-globals";
import { PerKeyRateLimiter, TokenBucket } from "server/rate-limit/token-bucket";


describe("TokenBucket", () => {
	it("starts full and refuses once empty", () => {
		const bucket = new TokenBucket(3, 1);
		expect(bucket.available(0)).toBe(3);
		expect(bucket.tryTake(0)).toBe(true);
		expect(bucket.tryTake(0)).toBe(true);
		expect(bucket.tryTake(0)).toBe(true);
		expect(bucket.tryTake(0)).toBe(false);
		expect(bucket.available(0)).toBe(0);
	});

	it("refills at its rate up to its capacity", () => {
		const bucket = new TokenBucket(4, 2);
		bucket.tryTake(0, 4);
		expect(bucket.available(0.5)).toBe(1);
		expect(bucket.tryTake(0.5, 2)).toBe(false);
		expect(bucket.tryTake(1, 2)).toBe(true);
		expect(bucket.available(100)).toBe(4);
	});

	it("affords a cost after floating-point refills that add up to it", () => {
		const bucket = new TokenBucket(1, 1);
		bucket.tryTake(0);
		let now = 0;
		for (let step = 0; step < 10; step++) {
			now += 0.1;
			bucket.available(now);
		}
		expect(bucket.tryTake(now)).toBe(true);
	});

	it("refills nothing when time goes backwards", () => {
		const bucket = new TokenBucket(2, 1);
		bucket.tryTake(10, 2);
		expect(bucket.available(5)).toBe(0);
		expect(bucket.available(11)).toBe(1);
	});

	it("never affords a cost above its capacity, and always a cost of 0", () => {
		const bucket = new TokenBucket(2, 1);
		expect(bucket.tryTake(0, 3)).toBe(false);
		expect(bucket.available(0)).toBe(2);
		bucket.tryTake(0, 2);
		expect(bucket.tryTake(0, 0)).toBe(true);
	});
});

describe("PerKeyRateLimiter", () => {
	it("keeps one bucket per key", () => {
		const limiter = new PerKeyRateLimiter<string>(2, 1);
		expect(limiter.tryTake("alice", 0)).toBe(true);
		expect(limiter.tryTake("alice", 0)).toBe(true);
		expect(limiter.tryTake("alice", 0)).toBe(false);
		expect(limiter.tryTake("bob", 0)).toBe(true);
		expect(limiter.available("bob", 0)).toBe(1);
		expect(limiter.available("carol", 0)).toBe(2);
		expect(limiter.size()).toBe(2);
	});

	it("starts a forgotten key afresh", () => {
		const limiter = new PerKeyRateLimiter<number>(1, 0.1);
		expect(limiter.tryTake(7, 0)).toBe(true);
		expect(limiter.tryTake(7, 1)).toBe(false);
		limiter.forget(7);
		expect(limiter.tryTake(7, 1)).toBe(true);
	});

	it("prunes only the buckets that have refilled", () => {
		const limiter = new PerKeyRateLimiter<string>(2, 1);
		limiter.tryTake("idle", 0);
		limiter.tryTake("busy", 0, 2);
		limiter.prune(1);
		expect(limiter.size()).toBe(1);
		expect(limiter.available("busy", 1)).toBe(1);
	});
});
