import { describe, expect, it } from "@rbxts/jest-globals";

/** Jest's test timeout runs on the virtual clock: a spec that jumps hours ahead needs a longer one. */
const JUMP_TIMEOUT_MS = 12 * 3600 * 1000;

describe("task scheduler on the virtual clock", () => {
	it("runs task.spawn at once and task.defer at the next resumption point, first in first out", () => {
		const order: string[] = [];
		task.defer(() => order.push("defer 1"));
		task.spawn(() => order.push("spawn"));
		task.defer(() => order.push("defer 2"));
		order.push("caller");
		task.wait();
		expect(order).toEqual(["spawn", "caller", "defer 1", "defer 2"]);
	});

	it("resumes task.delay and task.wait after their duration of virtual time, in wake order", () => {
		const started = Headless.now();
		const order: number[] = [];
		task.delay(2, () => order.push(2));
		task.delay(1, () => order.push(1));
		task.delay(1, () => order.push(11));
		const elapsed = task.wait(3);
		expect(order).toEqual([1, 11, 2]);
		expect(elapsed).toBeGreaterThanOrEqual(3);
		expect(elapsed).toBeLessThan(3 + 2 / 60);
		expect(Headless.now() - started).toBeCloseTo(elapsed, 5);
	});

	it("waits one frame for task.wait() without a duration", () => {
		const frame = Headless.frame();
		task.wait();
		expect(Headless.frame()).toBe(frame + 1);
	});

	it("cancels delayed and waiting threads", () => {
		let ran = false;
		const delayed = task.delay(0.5, () => (ran = true));
		task.cancel(delayed);
		const waiting = task.spawn(() => {
			task.wait(0.5);
			ran = true;
		});
		task.cancel(waiting);
		task.wait(1);
		expect(ran).toBe(false);
		expect(coroutine.status(waiting)).toBe("dead");
	});

	it("resumes a waiting thread when task.spawn is given it, and forgets the pending wait", () => {
		const resumed: defined[] = [];
		const thread = task.spawn(() => {
			resumed.push(task.wait(10));
			resumed.push("after");
		});
		task.spawn(thread, "early");
		expect(resumed).toEqual(["early", "after"]);
		task.wait(11);
		expect(resumed.size()).toBe(2);
	});

	it("keeps the legacy wait, delay and spawn with their minimum yield", () => {
		/* eslint-disable roblox-ts/prefer-task-library -- the legacy globals are what is pinned here */
		const [elapsed] = wait();
		expect(elapsed).toBeGreaterThanOrEqual(0.03);
		let delayed = false;
		delay(0, () => (delayed = true));
		let spawned = false;
		spawn(() => (spawned = true));
		expect(delayed || spawned).toBe(false);
		task.wait(0.1);
		expect(delayed && spawned).toBe(true);
		/* eslint-enable roblox-ts/prefer-task-library */
	});

	it("drives time(), tick(), os.time() and DateTime from the same virtual clock", () => {
		const time0 = time();
		const tick0 = tick();
		const os0 = os.time();
		const date0 = DateTime.now().UnixTimestampMillis;
		task.wait(5);
		expect(time() - time0).toBeCloseTo(5, 1);
		expect(tick() - tick0).toBeCloseTo(5, 1);
		expect(os.time() - os0).toBeGreaterThanOrEqual(4);
		expect(DateTime.now().UnixTimestampMillis - date0).toBeGreaterThanOrEqual(5000);
	});

	it("jumps the clock hours ahead in one frame: due waits resume in wake order, later ones keep waiting", () => {
		const order: string[] = [];
		const frame0 = Headless.frame();
		const time0 = time();
		const os0 = os.time();
		task.delay(3600, () => order.push("hour"));
		task.delay(60, () => order.push("minute"));
		task.delay(7 * 3600, () => order.push("seven hours"));
		Headless.skipTime(6 * 3600);
		expect(order).toEqual(["minute", "hour"]);
		// One frame ran after the jump, not the 1.3 million in between.
		expect(Headless.frame() - frame0).toBe(6 * 3600 * 60 + 1);
		expect(time() - time0).toBeCloseTo(6 * 3600, 1);
		expect(os.time() - os0).toBeGreaterThanOrEqual(6 * 3600);
		Headless.skipTime(3600);
		expect(order).toEqual(["minute", "hour", "seven hours"]);
	}, JUMP_TIMEOUT_MS);

	it("reports an error thrown in a spawned thread without stopping the caller", () => {
		const errors = Headless.captureErrors(() => {
			task.spawn(() => error("thread failure"));
			task.defer(() => error("deferred failure"));
			task.wait();
		});
		expect(errors.size()).toBe(2);
		expect(errors[0]).toMatch("thread failure");
		expect(errors[1]).toMatch("deferred failure");
	});
});
