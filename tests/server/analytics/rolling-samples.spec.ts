import { describe, expect, it } from "@rbxts/jest-globals";
import { RollingSamples } from "server/analytics/rolling-samples";


describe("RollingSamples", () => {
	it("reports zeros when empty", () => {
		const samples = new RollingSamples(10);
		expect(samples.count()).toBe(0);
		expect(samples.average()).toBe(0);
		expect(samples.percentile(50)).toBe(0);
		expect(samples.summary()).toEqual({ count: 0, average: 0, p50: 0, p95: 0, p99: 0 });
	});

	it("uses nearest-rank percentiles", () => {
		const samples = new RollingSamples(100);
		// Recorded out of order: percentiles must not depend on arrival order.
		for (let value = 100; value >= 1; value--) samples.record(value);
		expect(samples.percentile(0)).toBe(1);
		expect(samples.percentile(7)).toBe(7);
		expect(samples.percentile(50)).toBe(50);
		expect(samples.percentile(50.5)).toBe(51);
		expect(samples.percentile(100)).toBe(100);
		expect(samples.summary()).toEqual({ count: 100, average: 50.5, p50: 50, p95: 95, p99: 99 });

		const few = new RollingSamples(4);
		for (const value of [40, 10, 30, 20]) few.record(value);
		expect(few.percentile(50)).toBe(20);
		expect(few.percentile(51)).toBe(30);
		expect(few.percentile(99)).toBe(40);
	});

	it("keeps only the newest samples once full", () => {
		const samples = new RollingSamples(3);
		for (const value of [1, 2, 3, 4, 5]) samples.record(value);
		expect(samples.count()).toBe(3);
		expect(samples.average()).toBe(4);
		expect(samples.percentile(0)).toBe(3);
		// Summaries sort a copy: the ring still evicts the oldest sample next.
		samples.summary();
		samples.record(100);
		expect(samples.percentile(0)).toBe(4);
		expect(samples.summary()).toEqual({ count: 3, average: 109 / 3, p50: 5, p95: 100, p99: 100 });
	});

	it("starts over after clear", () => {
		const samples = new RollingSamples(5);
		for (const value of [9, 9, 9, 9, 9]) samples.record(value);
		samples.clear();
		samples.record(2);
		samples.record(4);
		expect(samples.summary()).toEqual({ count: 2, average: 3, p50: 2, p95: 4, p99: 4 });
	});

	it("rejects bad arguments", () => {
		expect(() => new RollingSamples(0)).toThrow("capacity");
		const samples = new RollingSamples(2);
		expect(() => samples.record(0 / 0)).toThrow("NaN");
		expect(() => samples.percentile(101)).toThrow("0..100");
		expect(() => samples.percentile(-1)).toThrow("0..100");
	});
});
