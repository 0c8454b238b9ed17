import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import {
	dataStoreServer,
	dataStoreServiceOf,
	errorOf,
	storeOf,
	timed,
	uncached,
	updateAsync,
	useFreshStore,
} from "../harness/data-stores";
import { waitUntil, World } from "../harness/world";

const QUEUED_WARNING =
	"warn: DataStore request was added to queue. If request queue fills, further requests will be dropped. " +
	"Try sending fewer requests.Key = ";

function budgetsOf(server: HeadlessServer) {
	const service = dataStoreServiceOf(server);
	return {
		get: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.GetAsync),
		setIncrement: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.SetIncrementAsync),
		update: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.UpdateAsync),
		getVersion: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.GetVersionAsync),
		list: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.ListAsync),
		getSorted: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.GetSortedAsync),
		setIncrementSorted: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.SetIncrementSortedAsync),
		onUpdate: service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.OnUpdate),
	};
}

function getBudget(server: HeadlessServer): number {
	return dataStoreServiceOf(server).GetRequestBudgetForRequestType(Enum.DataStoreRequestType.GetAsync);
}

/** Spends the whole GetAsync budget on distinct keys, so nothing comes from the read cache. */
function spendGetBudget(store: DataStore, server: HeadlessServer) {
	let index = 0;
	while (getBudget(server) >= 1) {
		index += 1;
		store.GetAsync(`spend_${index}`);
	}
	return index;
}

function spendSetBudget(store: DataStore, server: HeadlessServer) {
	let index = 0;
	const service = dataStoreServiceOf(server);
	while (service.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.SetIncrementAsync) >= 1) {
		index += 1;
		store.SetAsync(`spend_${index}`, index);
	}
	return index;
}

describe("DataStore request budgets", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("start at one minute's worth for a server without players", () => {
		const server = dataStoreServer(world);
		expect(budgetsOf(server)).toEqual({
			get: 60,
			setIncrement: 60,
			update: 60,
			getVersion: 5,
			list: 5,
			getSorted: 5,
			setIncrementSorted: 30,
			onUpdate: 30,
		});
		expect(server.requestBudget("GetAsync")).toBe(60);
	});

	it("go down by one per request; UpdateAsync spends both GetAsync and SetIncrementAsync", () => {
		const server = dataStoreServer(world);
		const store = storeOf(server);
		store.GetAsync("a");
		expect(budgetsOf(server)).toMatchObject({ get: 59, setIncrement: 60, update: 59 });
		store.SetAsync("b", 1);
		store.IncrementAsync("c");
		store.RemoveAsync("d");
		expect(budgetsOf(server)).toMatchObject({ get: 59, setIncrement: 57, update: 57 });
		updateAsync<number, number>(store, "e", () => [1]);
		expect(budgetsOf(server)).toMatchObject({ get: 58, setIncrement: 56, update: 56 });
		store.ListKeysAsync();
		store.ListVersionsAsync("b");
		store.GetVersionAsync("b", "unknown");
		expect(budgetsOf(server)).toMatchObject({ get: 58, setIncrement: 56, list: 3, getVersion: 4 });
	});

	it("spend nothing on a GetAsync answered from the four-second cache", () => {
		const server = dataStoreServer(world);
		const store = storeOf(server);
		store.SetAsync("cached", 1);
		store.GetAsync("cached");
		store.GetAsync("cached");
		store.GetAsync("read-twice");
		store.GetAsync("read-twice");
		expect(getBudget(server)).toBe(59);

		Headless.seconds(4.5);
		const before = getBudget(server);
		store.GetAsync("cached");
		expect(getBudget(server)).toBe(before - 1);
	});

	it("refill with virtual time at the per-minute rate, up to three minutes' worth", () => {
		const server = dataStoreServer(world);
		const store = storeOf(server);
		for (let index = 1; index <= 30; index++) store.GetAsync(`key_${index}`);
		for (let index = 1; index <= 5; index++) store.ListKeysAsync();
		expect(getBudget(server)).toBe(30);
		expect(budgetsOf(server).list).toBe(0);

		Headless.seconds(15);
		expect(getBudget(server)).toBe(45);
		expect(budgetsOf(server).list).toBe(1);

		Headless.seconds(300);
		expect(budgetsOf(server)).toMatchObject({ get: 180, setIncrement: 180, list: 15, getVersion: 15 });
	});

	it("rise with the number of players: 60 + 10 per player each minute for GetAsync", () => {
		const server = dataStoreServer(world);
		const store = storeOf(server);
		world.join(server, { userId: 3001, runScripts: false });
		world.join(server, { userId: 3002, runScripts: false });
		expect(server.game.GetService("Players").GetPlayers().size()).toBe(2);
		spendGetBudget(store, server);
		expect(getBudget(server)).toBe(0);

		Headless.seconds(30);
		// Half a minute at 80 per minute.
		expect(getBudget(server)).toBe(40);

		Headless.seconds(300);
		expect(budgetsOf(server)).toMatchObject({ get: 240, setIncrement: 240, list: 27 });
	});
});

describe("DataStore throttling", () => {
	const given = useFreshStore();

	it("queues requests once the budget is spent and completes them in order as it refills", () => {
		expect(spendGetBudget(given.store, given.server)).toBe(60);
		const started = Headless.now();
		const finished: Array<[key: string, seconds: number]> = [];
		for (const key of ["queued_1", "queued_2", "queued_3"]) {
			task.spawn(() => {
				given.store.GetAsync(key);
				finished.push([key, Headless.now() - started]);
			});
		}
		expect(finished).toEqual([]);
		expect(given.server.output()).toEqual([
			`${QUEUED_WARNING}queued_1`,
			`${QUEUED_WARNING}queued_2`,
			`${QUEUED_WARNING}queued_3`,
		]);

		waitUntil(() => finished.size() === 3, 10, "the queued requests");
		expect(finished.map(([key]) => key)).toEqual(["queued_1", "queued_2", "queued_3"]);
		// GetAsync refills at one request per second without players.
		finished.forEach(([, seconds], index) => {
			expect(seconds).toBeGreaterThan(index + 0.9);
			expect(seconds).toBeLessThan(index + 1.1);
		});
	});

	it("drops a request at once when 30 of its type are already queued (301 for GetAsync)", () => {
		spendGetBudget(given.store, given.server);
		const started = Headless.now();
		let completed = 0;
		for (let index = 1; index <= 30; index++) {
			task.spawn(() => {
				given.store.GetAsync(`waiting_${index}`);
				completed += 1;
			});
		}
		const [problem, seconds] = timed(() => errorOf(() => given.store.GetAsync("one_too_many")));
		expect(problem).toBe(
			"301: GetAsync request dropped. Request was throttled, but throttled request queue was full.",
		);
		expect(seconds).toBe(0);
		expect(completed).toBe(0);

		// The queue drains at the refill rate and then takes requests again.
		waitUntil(() => completed === 30, 40, "the queue to drain");
		expect(Headless.now() - started).toBeGreaterThan(29);
		expect(errorOf(() => given.store.GetAsync("after_the_queue"))).toBeUndefined();
	});

	it("drops writes with their own codes: 302 SetAsync, 303 IncrementAsync, 306 RemoveAsync", () => {
		spendSetBudget(given.store, given.server);
		let completed = 0;
		for (let index = 1; index <= 30; index++) {
			task.spawn(() => {
				given.store.SetAsync(`waiting_${index}`, index);
				completed += 1;
			});
		}
		const suffix = "request dropped. Request was throttled, but throttled request queue was full.";
		expect(errorOf(() => given.store.SetAsync("dropped", 1))).toBe(`302: SetAsync ${suffix}`);
		expect(errorOf(() => given.store.IncrementAsync("dropped"))).toBe(`303: IncrementAsync ${suffix}`);
		expect(errorOf(() => given.store.RemoveAsync("dropped"))).toBe(`306: RemoveAsync ${suffix}`);
		// Reads have a queue of their own.
		expect(errorOf(() => given.store.GetAsync("dropped"))).toBeUndefined();

		waitUntil(() => completed === 30, 40, "the queue to drain");
		expect(given.store.GetAsync("waiting_30", uncached(given.server))[0]).toBe(30);
		expect(given.store.GetAsync("dropped", uncached(given.server))[0]).toBeUndefined();
	});

	it("delays a write to a key written less than six seconds ago, letting other requests pass", () => {
		const [, firstSeconds] = timed(() => given.store.SetAsync("hot", 1));
		expect(firstSeconds).toBe(0);

		const order: string[] = [];
		const started = Headless.now();
		let secondSeconds = -1;
		task.spawn(() => {
			given.store.SetAsync("hot", 2);
			secondSeconds = Headless.now() - started;
			order.push("hot");
		});
		expect(order).toEqual([]);
		const [, otherSeconds] = timed(() => given.store.SetAsync("cold", 1));
		order.push("cold");
		const [readBack, readSeconds] = timed(() => given.store.GetAsync("hot", uncached(given.server))[0]);
		expect(otherSeconds).toBe(0);
		expect(readSeconds).toBe(0);
		expect(readBack).toBe(1);

		waitUntil(() => order.size() === 2, 10, "the delayed write");
		expect(order).toEqual(["cold", "hot"]);
		expect(secondSeconds).toBeGreaterThanOrEqual(6);
		expect(secondSeconds).toBeLessThan(6.1);
		expect(given.store.GetAsync("hot", uncached(given.server))[0]).toBe(2);

		// Once six seconds have passed the key is writable at once again.
		Headless.seconds(6);
		const [, laterSeconds] = timed(() => given.store.IncrementAsync("hot"));
		expect(laterSeconds).toBe(0);
	});
});
