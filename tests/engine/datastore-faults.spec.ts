import { afterEach, beforeEach, describe, expect, it } from "@rbxts/jest-globals";
import { dataStoreServer, errorOf, storeOf, timed, uncached, updateAsync } from "../harness/data-stores";
import { waitUntil, World } from "../harness/world";

const BACKEND_ERROR = "502: API Services rejected request with error. HTTP 500 (Internal Server Error)";

/**
 * "x" for each failed and "." for each successful request, `count` of them: uncached reads and
 * writes to fresh keys, alternately, so that a fresh server's budgets cover a hundred.
 */
function failurePattern(server: HeadlessServer, count: number): string {
	const store = storeOf(server);
	const options = uncached(server);
	let pattern = "";
	for (let index = 1; index <= count; index++) {
		const problem = errorOf(() =>
			index % 2 === 1 ? store.GetAsync("probe", options) : store.SetAsync(`probe_${index}`, index),
		);
		if (problem !== undefined) expect(problem).toBe(BACKEND_ERROR);
		pattern += problem === undefined ? "." : "x";
	}
	return pattern;
}

function countOf(pattern: string, character: string): number {
	return pattern.gsub(character, "")[1];
}

describe("DataStore fault injection", () => {
	const world = new World();
	let server: HeadlessServer;
	let store: DataStore;
	let faults: HeadlessDataStoreFaults;
	beforeEach(() => {
		server = dataStoreServer(world);
		store = storeOf(server);
		faults = server.dataStoreFaults();
	});
	afterEach(() => world.stop());

	it("fails the next requests with the error code in the message, without any effect", () => {
		faults.failNext(2);
		faults.failNext(1, 504);
		expect(errorOf(() => store.SetAsync("gold", 10))).toBe(BACKEND_ERROR);
		expect(errorOf(() => store.IncrementAsync("gold"))).toBe(BACKEND_ERROR);
		expect(errorOf(() => store.GetAsync("gold"))).toBe(
			"504: Data Store request was successful but the response wasn't formatted correctly.",
		);
		expect(store.GetAsync("gold")[0]).toBeUndefined();
		expect(store.SetAsync("gold", 10)).toBeDefined();
		expect(store.GetAsync("gold", uncached(server))[0]).toBe(10);

		faults.failNext(1, 301);
		expect(errorOf(() => store.GetAsync("gold", uncached(server)))).toBe(
			"301: GetAsync request dropped. Request was throttled, but throttled request queue was full.",
		);
	});

	it("fails a deterministic share of requests for a failure rate and seed", () => {
		faults.setFailureRate(0.3, 42);
		const pattern = failurePattern(server, 100);
		const failures = countOf(pattern, "x");
		expect(failures).toBeGreaterThanOrEqual(20);
		expect(failures).toBeLessThanOrEqual(40);

		// The same seed gives the same pattern, on this server or on another one.
		const twin = dataStoreServer(world);
		twin.dataStoreFaults().setFailureRate(0.3, 42);
		expect(failurePattern(twin, 100)).toBe(pattern);
		Headless.seconds(60);
		faults.setFailureRate(0.3, 42);
		expect(failurePattern(server, 100)).toBe(pattern);

		const other = dataStoreServer(world);
		other.dataStoreFaults().setFailureRate(0.3, 7);
		const otherPattern = failurePattern(other, 100);
		expect(otherPattern).never.toBe(pattern);
		expect(countOf(otherPattern, "x")).toBeGreaterThanOrEqual(20);
		expect(countOf(otherPattern, "x")).toBeLessThanOrEqual(40);
	});

	it("fails every request at rate 1 and none at rate 0", () => {
		faults.setFailureRate(1, 1);
		expect(failurePattern(server, 5)).toBe("xxxxx");
		faults.setFailureRate(0, 1);
		expect(failurePattern(server, 5)).toBe(".....");
	});

	it("delays every request by the injected latency of virtual time", () => {
		faults.setLatency(2.5);
		const [version, writeSeconds] = timed(() => store.SetAsync("slow", "value"));
		expect(version).toBeDefined();
		expect(writeSeconds).toBeGreaterThanOrEqual(2.5);
		expect(writeSeconds).toBeLessThan(2.55);

		const [value, readSeconds] = timed(() => store.GetAsync("slow", uncached(server))[0]);
		expect(value).toBe("value");
		expect(readSeconds).toBeGreaterThanOrEqual(2.5);
		expect(readSeconds).toBeLessThan(2.55);

		// Requests in flight wait side by side, not one after another.
		const started = Headless.now();
		const finishedAfter: number[] = [];
		for (const key of ["a", "b", "c"]) {
			task.spawn(() => {
				store.SetAsync(key, key);
				finishedAfter.push(Headless.now() - started);
			});
		}
		waitUntil(() => finishedAfter.size() === 3, 10, "the three writes");
		for (const seconds of finishedAfter) {
			expect(seconds).toBeGreaterThanOrEqual(2.5);
			expect(seconds).toBeLessThan(2.55);
		}
	});

	it("reports a failure after a write that was stored all the same", () => {
		faults.failAfterWrite(1);
		expect(errorOf(() => store.SetAsync("saved-anyway", { coins: 10 }))).toBe(BACKEND_ERROR);
		expect(store.GetAsync("saved-anyway", uncached(server))[0]).toEqual({ coins: 10 });

		faults.failAfterWrite(1, 504);
		expect(errorOf(() => updateAsync<number, number>(store, "counted", (old) => [(old ?? 0) + 1]))).toBe(
			"504: Data Store request was successful but the response wasn't formatted correctly.",
		);
		expect(store.GetAsync("counted", uncached(server))[0]).toBe(1);

		// Reads are not writes: the next pending failure waits for a write.
		faults.failAfterWrite(1);
		expect(errorOf(() => store.GetAsync("counted", uncached(server)))).toBeUndefined();
		expect(errorOf(() => store.IncrementAsync("visits"))).toBe(BACKEND_ERROR);
		expect(store.GetAsync("visits", uncached(server))[0]).toBe(1);
		expect(errorOf(() => store.IncrementAsync("visits-2"))).toBeUndefined();
	});

	it("limits faults to the requests a filter accepts", () => {
		faults.filter((request) => request.isWrite && request.key === "guarded");
		faults.failNext(1);
		expect(errorOf(() => store.GetAsync("guarded"))).toBeUndefined();
		expect(errorOf(() => store.SetAsync("open", 1))).toBeUndefined();
		expect(errorOf(() => store.SetAsync("guarded", 1))).toBe(BACKEND_ERROR);
		expect(errorOf(() => store.SetAsync("guarded", 1))).toBeUndefined();

		faults.filter(undefined);
		faults.failNext(1);
		expect(errorOf(() => store.GetAsync("anything", uncached(server)))).toBe(BACKEND_ERROR);
	});

	it("asks a filter about each request once, however many faults the request meets", () => {
		const asked: string[] = [];
		faults.filter((request) => {
			asked.push(request.key ?? "");
			return request.key === "slow" || request.key === "slow-2";
		});
		faults.setLatency(2);
		faults.failAfterWrite(1);
		const [problem, seconds] = timed(() => errorOf(() => store.SetAsync("slow", 1)));
		expect([problem, seconds]).toEqual([BACKEND_ERROR, 2]);
		expect(errorOf(() => store.SetAsync("quick", 1))).toBeUndefined();
		expect(asked).toEqual(["slow", "quick"]);

		// A filter set while a request waits is asked about it when it next meets a fault: this one
		// turns the write's failure away to the next request it accepts.
		let waited: string | undefined;
		task.spawn(() => (waited = errorOf(() => store.SetAsync("slow-2", 1)) ?? "stored"));
		expect(asked).toEqual(["slow", "quick", "slow-2"]);
		faults.filter((request) => request.key === "other");
		faults.failNext(1);
		waitUntil(() => waited !== undefined, 5, "the delayed write");
		expect(waited).toBe("stored");
		expect(errorOf(() => store.SetAsync("other", 1))).toBe(BACKEND_ERROR);
	});

	it("restores normal behaviour on clear()", () => {
		faults.failNext(5);
		faults.failAfterWrite(5);
		faults.setFailureRate(1, 3);
		faults.setLatency(10);
		faults.filter((request) => request.isWrite);
		faults.clear();

		const [problem, seconds] = timed(() => errorOf(() => store.SetAsync("calm", 1)));
		expect(problem).toBeUndefined();
		expect(seconds).toBe(0);
		expect(failurePattern(server, 10)).toBe("..........");
		expect(store.GetAsync("calm", uncached(server))[0]).toBe(1);
	});
});

describe("DataStore shared by two servers", () => {
	const world = new World();
	let serverA: HeadlessServer;
	let serverB: HeadlessServer;
	beforeEach(() => {
		const backend = Headless.newDataStore();
		serverA = dataStoreServer(world, "store-a", backend);
		serverB = dataStoreServer(world, "store-b", backend);
	});
	afterEach(() => world.stop());

	it("lets each server read what the other wrote", () => {
		const version = storeOf(serverA).SetAsync("shared", { owner: "a" }, [1]);
		const [value, info] = storeOf(serverB).GetAsync("shared");
		expect(value).toEqual({ owner: "a" });
		expect(info.Version).toBe(version);
		expect(info.GetUserIds()).toEqual([1]);

		storeOf(serverB).SetAsync("from-b", 2);
		expect(storeOf(serverA).GetAsync("from-b")[0]).toBe(2);
		const names = (storeOf(serverA).ListKeysAsync().GetCurrentPage() as DataStoreKey[]).map((key) => key.KeyName);
		expect(names).toEqual(["from-b", "shared"]);

		// A server on another backend sees none of it.
		const stranger = dataStoreServer(world, "store-c");
		expect(storeOf(stranger).GetAsync("shared")[0]).toBeUndefined();
	});

	it("serves a cached read for four seconds unless the cache is skipped", () => {
		const storeA = storeOf(serverA);
		const storeB = storeOf(serverB);
		storeA.SetAsync("news", "old");
		storeA.IncrementAsync("tally");
		// Past the six-second cooldown, so the next writes go out at once.
		Headless.seconds(6);
		expect(storeB.GetAsync("news")[0]).toBe("old");
		expect(storeB.GetAsync("tally")[0]).toBe(1);

		storeA.SetAsync("news", "new");
		storeA.IncrementAsync("tally");
		expect(storeB.GetAsync("news")[0]).toBe("old");
		expect(storeB.GetAsync("tally")[0]).toBe(1);
		expect(storeB.GetAsync("news", uncached(serverB))[0]).toBe("new");

		Headless.seconds(3.5);
		expect(storeB.GetAsync("tally")[0]).toBe(1);
		Headless.seconds(0.5);
		expect(storeB.GetAsync("tally")[0]).toBe(2);
	});

	it("never loses an increment when both servers UpdateAsync one key at the same time", () => {
		const perServer = 8;
		const results: number[] = [];
		let running = 0;
		let readers = 0;
		for (const server of [serverA, serverB]) {
			server.dataStoreFaults().setLatency(0.25);
			const store = storeOf(server);
			for (let index = 1; index <= perServer; index++) {
				running += 1;
				task.spawn(() => {
					const [count] = updateAsync<number, number>(store, "clicks", (old) => [(old ?? 0) + 1]);
					results.push(count!);
					running -= 1;
				});
			}
			// Meanwhile the server keeps reading the key, so its read cache always holds a recent value.
			readers += 1;
			task.spawn(() => {
				while (running > 0) {
					store.GetAsync("clicks");
					task.wait(0.5);
				}
				readers -= 1;
			});
		}
		waitUntil(() => running === 0 && readers === 0, 120, "every UpdateAsync");

		const [stored] = storeOf(serverA).GetAsync<number>("clicks", uncached(serverA));
		expect(stored).toBe(2 * perServer);
		results.sort((a, b) => a < b);
		const expected: number[] = [];
		for (let count = 1; count <= 2 * perServer; count++) expected.push(count);
		expect(results).toEqual(expected);
	});
});
