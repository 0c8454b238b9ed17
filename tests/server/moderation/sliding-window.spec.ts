import { describe, expect, it } from "@rbxts/jest-globals";
import { SlidingWindow } from "server/moderation/sliding-window";


describe("SlidingWindow", () => {
	it("counts events younger than the window", () => {
		const window = new SlidingWindow(10, 100);
		window.record(0);
		window.record(4);
		window.record(9.5);
		expect(window.count(9.5)).toBe(3);
		// An event exactly one window old no longer counts.
		expect(window.count(10)).toBe(2);
		expect(window.count(14)).toBe(1);
		expect(window.count(19.5)).toBe(0);
	});

	it("says whether one more event would exceed a limit", () => {
		const window = new SlidingWindow(5, 10);
		expect(window.wouldExceed(0, 3)).toBe(false);
		window.record(0);
		window.record(1);
		expect(window.wouldExceed(2, 3)).toBe(false);
		window.record(2);
		expect(window.wouldExceed(2, 3)).toBe(true);
		expect(window.wouldExceed(5, 3)).toBe(false);
	});

	it("saturates at its capacity and stays exact for limits up to it", () => {
		const window = new SlidingWindow(60, 5);
		for (let second = 0; second < 50; second++) window.record(second);
		expect(window.count(50)).toBe(5);
		expect(window.wouldExceed(50, 5)).toBe(true);
		// The kept events are the newest five (45..49), so they expire when those do.
		expect(window.count(105)).toBe(4);
		expect(window.count(110)).toBe(0);
		expect(() => window.wouldExceed(110, 6)).toThrow("capacity");
	});

	it("reuses its slots as events expire", () => {
		const window = new SlidingWindow(1, 3);
		for (let step = 0; step < 1000; step++) {
			window.record(step * 0.5);
			expect(window.count(step * 0.5)).toBe(math.min(step + 1, 2));
		}
	});

	it("treats a timestamp earlier than the newest as the newest", () => {
		const window = new SlidingWindow(10, 10);
		window.record(100);
		window.record(50);
		expect(window.count(100)).toBe(2);
		expect(window.count(110)).toBe(0);
	});

	it("forgets everything on clear", () => {
		const window = new SlidingWindow(10, 10);
		window.record(1);
		window.clear();
		expect(window.count(1)).toBe(0);
		window.record(0);
		expect(window.count(0)).toBe(1);
	});
});
