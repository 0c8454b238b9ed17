import { afterEach, describe, expect, it } from "@rbxts/jest-globals";

/** Spins on the host's clock: real work of `seconds`, as game code would do. */
function spinFor(seconds: number) {
	const deadline = Headless.realClock() + seconds;
	while (Headless.realClock() < deadline);
}

describe("the engine clock (benchmarks' engine time)", () => {
	afterEach(() => Headless.measureEngineTime(false));

	it("counts the task library's scheduling as engine time", () => {
		Headless.measureEngineTime(true);
		const before = Headless.engineTime();
		const idle = coroutine.create(() => {
			for (;;) coroutine.yield();
		});
		coroutine.resume(idle);
		for (let index = 0; index < 2000; index++) task.defer(idle);
		const threads: thread[] = [];
		for (let index = 0; index < 200; index++) threads.push(task.delay(60, () => undefined));
		for (const thread of threads) task.cancel(thread);
		expect(Headless.engineTime()).toBeGreaterThan(before);
		task.wait();
	});

	it("leaves out the game code a task.spawn or task.defer runs", () => {
		Headless.measureEngineTime(true);
		const before = Headless.engineTime();
		task.spawn(() => spinFor(0.05));
		task.defer(() => spinFor(0.05));
		task.wait();
		// 100 ms of game work ran inside those calls and the frame that resumed the deferred one;
		// the engine's own share of them is a small fraction of a millisecond.
		expect(Headless.engineTime() - before).toBeLessThan(0.05);
	});
});
