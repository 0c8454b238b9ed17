import { afterEach, beforeEach, describe, expect, it } from "@rbxts/jest-globals";
import { dataStoreServer, errorOf, noise, timed } from "../harness/data-stores";
import { World } from "../harness/world";

/** Jest's test timeout runs on the virtual clock: a spec that jumps hours ahead needs a longer one. */
const JUMP_TIMEOUT_MS = 12 * 3600 * 1000;

const INTERNAL_ERROR = "Code: InternalError, Error: Internal error.";
const KB = 1024;

function memoryStoreOf(server: HeadlessServer): MemoryStoreService {
	return server.game.GetService("MemoryStoreService");
}

function keysOf(items: Array<{ key: string }>): string {
	return items.map((item) => item.key).join(",");
}

describe("MemoryStoreService", () => {
	const world = new World();
	let server: HeadlessServer;
	let hashMap: MemoryStoreHashMap;
	let sortedMap: MemoryStoreSortedMap;
	beforeEach(() => {
		server = dataStoreServer(world);
		hashMap = memoryStoreOf(server).GetHashMap("Specs");
		sortedMap = memoryStoreOf(server).GetSortedMap("Specs");
	});
	afterEach(() => world.stop());

	it("yields on every request, as a web call does: a thread deferred before one runs before it returns", () => {
		const order: string[] = [];
		task.defer(() => order.push("deferred before SetAsync"));
		sortedMap.SetAsync("yielding", 1, 60);
		order.push("SetAsync returned");
		task.defer(() => order.push("deferred before GetAsync"));
		hashMap.GetAsync("yielding");
		order.push("GetAsync returned");
		expect(order).toEqual(["deferred before SetAsync", "SetAsync returned", "deferred before GetAsync", "GetAsync returned"]);
	});

	it("applies a fault set while a request is yielding", () => {
		let outcome = "running";
		task.spawn(() => {
			const [ok] = pcall(() => sortedMap.SetAsync("late-fault", 1, 60));
			outcome = ok ? "stored" : "failed";
		});
		expect(outcome).toBe("running");
		server.memoryStoreFaults().failNext(1);
		task.wait();
		expect(outcome).toBe("failed");
		const [value] = sortedMap.GetAsync("late-fault");
		expect(value).toBeUndefined();
	});

	describe("hash map", () => {
		it("sets, gets, updates and removes values, each read a fresh copy", () => {
			expect(hashMap.SetAsync("inventory", { gold: 5 }, 60)).toBe(true);
			expect(hashMap.SetAsync("inventory", { gold: 6 }, 60)).toBe(false);
			const first = hashMap.GetAsync("inventory") as { gold: number };
			first.gold = 1000;
			expect((hashMap.GetAsync("inventory") as { gold: number }).gold).toBe(6);

			const updated = hashMap.UpdateAsync(
				"inventory",
				(old: { gold: number } | undefined) => ({ gold: (old?.gold ?? 0) + 4 }),
				60,
			);
			expect((updated as { gold: number }).gold).toBe(10);
			expect(hashMap.UpdateAsync("inventory", () => undefined, 60)).toBeUndefined();
			expect((hashMap.GetAsync("inventory") as { gold: number }).gold).toBe(10);

			hashMap.RemoveAsync("inventory");
			expect(hashMap.GetAsync("inventory")).toBeUndefined();
		});

		it("forgets an item when its expiration passes on the virtual clock", () => {
			hashMap.SetAsync("short", 1, 30);
			hashMap.SetAsync("long", 2, 120);
			Headless.seconds(29);
			expect(hashMap.GetAsync("short")).toBe(1);
			Headless.seconds(2);
			expect(hashMap.GetAsync("short")).toBeUndefined();
			expect(hashMap.GetAsync("long")).toBe(2);
			expect(server.memoryStoreUsage().items).toBe(1);
		});

		it("forgets items whose expiration passed during a clock jump", () => {
			hashMap.SetAsync("claim", "1:a", 6 * 3600);
			hashMap.SetAsync("entry", 2, 30 * 24 * 3600);
			Headless.skipTime(6 * 3600 + 1);
			expect(hashMap.GetAsync("claim")).toBeUndefined();
			expect(hashMap.GetAsync("entry")).toBe(2);
			expect(server.memoryStoreUsage().items).toBe(1);
		}, JUMP_TIMEOUT_MS);

		it("lists items page by page", () => {
			for (let index = 1; index <= 5; index++) hashMap.SetAsync(`item${index}`, index, 60);
			const pages = hashMap.ListItemsAsync(2);
			const seen: string[] = [];
			for (;;) {
				for (const entry of pages.GetCurrentPage() as unknown as Array<{ key: string; value: number }>) {
					seen.push(`${entry.key}=${entry.value}`);
				}
				if (pages.IsFinished) break;
				pages.AdvanceToNextPageAsync();
			}
			expect(seen.join(",")).toBe("item1=1,item2=2,item3=3,item4=4,item5=5");
		});
	});

	describe("sorted map", () => {
		it("orders numeric sort keys, then string sort keys, then none, ties by key", () => {
			sortedMap.SetAsync("player0", 7, 60);
			sortedMap.SetAsync("player6", 6, 60, "someString");
			sortedMap.SetAsync("player3", 5, 60, 3.14);
			sortedMap.SetAsync("player5", 4, 60, 1);
			sortedMap.SetAsync("player4", 3, 60, 1);
			sortedMap.SetAsync("player2", 2, 60, 0);
			sortedMap.SetAsync("player1", 1, 60, -1);
			sortedMap.SetAsync("player7", 8, 60);
			expect(keysOf(sortedMap.GetRangeAsync(Enum.SortDirection.Ascending, 200))).toBe(
				"player1,player2,player4,player5,player3,player6,player0,player7",
			);
			expect(keysOf(sortedMap.GetRangeAsync(Enum.SortDirection.Descending, 3))).toBe("player7,player0,player6");
			const [value, sortKey] = sortedMap.GetAsync("player3");
			expect(value).toBe(5);
			expect(sortKey).toBe(3.14);
		});

		it("reads a range strictly between its bounds", () => {
			for (let index = 1; index <= 6; index++) sortedMap.SetAsync(`k${index}`, index, 60, index * 10);
			const middle = sortedMap.GetRangeAsync(
				Enum.SortDirection.Ascending,
				200,
				{ key: "k2", sortKey: 20 },
				{ key: "k5", sortKey: 50 },
			);
			expect(keysOf(middle)).toBe("k3,k4");
			expect(keysOf(sortedMap.GetRangeAsync(Enum.SortDirection.Ascending, 200, { sortKey: 40 }))).toBe("k4,k5,k6");
			expect(sortedMap.GetSizeAsync()).toBe(6);
		});

		it("updates a value and its sort key together", () => {
			sortedMap.SetAsync("bid", 10, 60, 10);
			const [value] = sortedMap.UpdateAsync(
				"bid",
				// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync reads the value and the sort key
				(old) => $tuple((old as number) + 5, (old as number) + 5),
				60,
			);
			expect(value).toBe(15);
			expect(sortedMap.GetAsync("bid")[1]).toBe(15);
		});
	});

	// Roblox's buffer library: a buffer passed through a Roblox API reaches the target as a copy.
	// Memory stores keep values as JSON, where a buffer is written as DataStores write it
	// ({"m":null,"t":"buffer","base64":…} or "zbase64" when Zstandard makes it shorter), and the
	// 32 KB item limit applies to that stored text, not to the buffer's length.
	describe("buffer values", () => {
		it("round-trip through a hash map and a sorted map as fresh copies with the same bytes", () => {
			const sent = noise(1_000);
			hashMap.SetAsync("blob", { data: sent, label: "kept" }, 60);
			sortedMap.SetAsync("blob", sent, 60, 7);
			buffer.writeu8(sent, 0, 0);
			const fromHash = hashMap.GetAsync("blob") as { data: buffer; label: string };
			const [fromSorted, sortKey] = sortedMap.GetAsync("blob");
			const expected = noise(1_000);
			expect(fromHash.label).toBe("kept");
			expect(typeOf(fromHash.data)).toBe("buffer");
			expect(fromHash.data).never.toBe(sent);
			expect(buffer.tostring(fromHash.data)).toBe(buffer.tostring(expected));
			expect(typeOf(fromSorted)).toBe("buffer");
			expect(buffer.tostring(fromSorted as buffer)).toBe(buffer.tostring(expected));
			expect(sortKey).toBe(7);
			// Each read is its own copy: writing into one does not change the stored item.
			buffer.writeu8(fromHash.data, 1, 0);
			expect(buffer.tostring((hashMap.GetAsync("blob") as { data: buffer }).data)).toBe(buffer.tostring(expected));
		});

		it("passes through UpdateAsync's transform as a buffer", () => {
			hashMap.SetAsync("counter", buffer.fromstring("\x01\x00"), 60);
			const updated = hashMap.UpdateAsync(
				"counter",
				(old: buffer | undefined) => {
					const incremented = buffer.create(2);
					buffer.writeu16(incremented, 0, buffer.readu16(old!, 0) + 1);
					return incremented;
				},
				60,
			) as buffer;
			expect(buffer.readu16(updated, 0)).toBe(2);
			expect(buffer.readu16(hashMap.GetAsync("counter") as buffer, 0)).toBe(2);
		});

		it("count their stored (encoded) size against the 32 KB item limit, not their length", () => {
			// 40,000 zero bytes compress to a few dozen characters: accepted.
			expect(hashMap.SetAsync("zeros", buffer.create(40_000), 60)).toBe(true);
			expect(buffer.len(hashMap.GetAsync("zeros") as buffer)).toBe(40_000);
			// 25,000 random bytes grow by a third in Base64: 33,336 characters and the wrapper, over 32,768: refused.
			expect(errorOf(() => hashMap.SetAsync("noise", noise(25_000), 60))).toBe(
				"Code: ItemValueSizeTooLarge, Error: Value size exceeds limit (32KB).",
			);
			expect(errorOf(() => sortedMap.SetAsync("noise", noise(25_000), 60))).toBe(
				"Code: ItemValueSizeTooLarge, Error: Value size exceeds limit (32KB).",
			);
			expect(hashMap.GetAsync("noise")).toBeUndefined();
			// 24,000 random bytes are 32,000 characters of Base64 and a 35-character wrapper: within the limit.
			expect(hashMap.SetAsync("noise", noise(24_000), 60)).toBe(true);
			expect(buffer.len(hashMap.GetAsync("noise") as buffer)).toBe(24_000);
		});
	});

	describe("queue", () => {
		function joined(items: Array<unknown>): string {
			return (items as string[]).join(",");
		}

		it("reads by priority, then arrival; a read item stays invisible until removed or timed out", () => {
			const queue = memoryStoreOf(server).GetQueue("Jobs", 10);
			queue.AddAsync("a", 600);
			queue.AddAsync("b", 600);
			queue.AddAsync("urgent", 600, 5);
			const [firstItems, firstId] = queue.ReadAsync(2, false, 0);
			expect(joined(firstItems)).toBe("urgent,a");
			expect(queue.GetSizeAsync()).toBe(3);
			expect(queue.GetSizeAsync(true)).toBe(1);
			const [secondItems, secondId] = queue.ReadAsync(2, false, 0);
			expect(joined(secondItems)).toBe("b");
			queue.RemoveAsync(secondId);
			expect(queue.GetSizeAsync()).toBe(2);

			// The first read was never removed: after the invisibility timeout its items come back.
			Headless.seconds(11);
			const [again] = queue.ReadAsync(5, false, 0);
			expect(joined(again)).toBe("urgent,a");
			// The first read's id no longer holds them: they were read again since.
			queue.RemoveAsync(firstId);
			expect(queue.GetSizeAsync()).toBe(2);
		});

		it("waits for enough items, polling every two seconds, up to the wait timeout", () => {
			const queue = memoryStoreOf(server).GetQueue("Waiting");
			task.delay(3, () => queue.AddAsync("late", 600));
			const [[items], seconds] = timed(() => {
				const [list, id] = queue.ReadAsync(1, false, 10);
				return [list, id] as const;
			});
			expect(joined(items)).toBe("late");
			expect(seconds).toBeGreaterThanOrEqual(3);
			expect(seconds).toBeLessThanOrEqual(5);

			queue.AddAsync("one", 600);
			const [[none, noId], waited] = timed(() => {
				const [list, id] = queue.ReadAsync(2, true, 4);
				return [list, id] as const;
			});
			expect(none.size()).toBe(0);
			expect(noId).toBeUndefined();
			expect(waited).toBeGreaterThanOrEqual(4);
		});
	});

	describe("limits", () => {
		it("refuses long keys, large values, bad sort keys and expirations with Roblox's status codes", () => {
			expect(errorOf(() => hashMap.SetAsync("k".rep(129), 1, 60))).toBe(
				"Code: InvalidRequest, Error: The key is longer than 128 characters.",
			);
			expect(hashMap.SetAsync("k".rep(128), 1, 60)).toBe(true);
			expect(errorOf(() => hashMap.SetAsync("big", "x".rep(32 * KB), 60))).toBe(
				"Code: ItemValueSizeTooLarge, Error: Value size exceeds limit (32KB).",
			);
			expect(errorOf(() => hashMap.SetAsync("old", 1, 3_888_001))).toBe(
				"Code: InvalidExpirationTime, Error: The field 'expiration' time must be between 0 and 3,888,000.",
			);
			expect(errorOf(() => sortedMap.SetAsync("k", 1, 60, "s".rep(129)))).toBe(
				"Code: InvalidRequest, Error: The sortKey is longer than 128 characters.",
			);
			expect(errorOf(() => sortedMap.SetAsync("k", 1, 60, true as never))).toBe(
				"Code: InvalidRequest, Error: Unable to convert sortKey to a valid number or string.",
			);
			expect(errorOf(() => sortedMap.GetRangeAsync(Enum.SortDirection.Ascending, 201))).toBe(
				"Code: InvalidRequest, Error: The count must be an integer between 1 and 200.",
			);
		});

		it("fails writes that grow memory past 64 KB + 1.2 KB per user; shrinking writes still pass", () => {
			expect(server.memoryStoreUsage().memoryQuotaBytes).toBe(64 * KB);
			const chunk = "x".rep(16 * KB);
			for (let index = 1; index <= 3; index++) hashMap.SetAsync(`chunk${index}`, chunk, 600);
			expect(errorOf(() => hashMap.SetAsync("chunk4", chunk, 600))).toBe(
				"Code: TotalMemoryOverLimit, Error: Exceeds universe-level memory quota.",
			);
			expect(hashMap.SetAsync("chunk1", "small", 600)).toBe(false);
			expect(hashMap.SetAsync("chunk4", chunk, 600)).toBe(true);

			Headless.connectClient(server, { userId: 1, runScripts: false });
			expect(server.memoryStoreUsage().memoryQuotaBytes).toBe(math.floor(64 * KB + 1.2 * KB));
			expect(server.memoryStoreUsage().concurrentUsers).toBe(1);
		});

		it("counts request units against 1000 + 120 per user each minute, across the experience", () => {
			const otherExperience = dataStoreServer(world, "other");
			let refused = 0;
			for (let index = 1; index <= 1001; index++) {
				if (errorOf(() => hashMap.GetAsync("probe")) !== undefined) refused += 1;
			}
			expect(refused).toBe(1);
			expect(errorOf(() => hashMap.GetAsync("probe"))).toBe(
				"Code: TotalRequestsOverLimit, Error: Exceeds universe-level request unit limit.",
			);
			expect(server.memoryStoreUsage().requestUnitsLastMinute).toBe(1000);
			expect(otherExperience.memoryStoreUsage().requestUnitsLastMinute).toBe(0);
			Headless.seconds(61);
			expect(errorOf(() => hashMap.GetAsync("probe"))).toBeUndefined();
		});
	});

	describe("servers of one experience", () => {
		it("share maps with servers on the same DataStore backend, and keep them when a server crashes", () => {
			const backend = Headless.newDataStore();
			const first = dataStoreServer(world, "first", backend);
			const second = dataStoreServer(world, "second", backend);
			const stranger = dataStoreServer(world, "stranger");
			memoryStoreOf(first).GetSortedMap("Fleet").SetAsync("first", { players: 3 }, 60, 3);
			Headless.crashServer(first);
			expect(memoryStoreOf(second).GetSortedMap("Fleet").GetAsync("first")[0]).toEqual({ players: 3 });
			expect(memoryStoreOf(stranger).GetSortedMap("Fleet").GetAsync("first")[0]).toBeUndefined();
		});
	});

	describe("fault injection", () => {
		it("fails the next requests without effect, or after the write landed", () => {
			const faults = server.memoryStoreFaults();
			faults.failNext(1);
			expect(errorOf(() => hashMap.SetAsync("k", 1, 60))).toBe(INTERNAL_ERROR);
			expect(hashMap.GetAsync("k")).toBeUndefined();

			faults.failAfterWrite(1, "TotalRequestsOverLimit");
			expect(errorOf(() => hashMap.SetAsync("k", 2, 60))).toBe(
				"Code: TotalRequestsOverLimit, Error: Exceeds universe-level request unit limit.",
			);
			expect(hashMap.GetAsync("k")).toBe(2);
		});

		it("fails a deterministic share for a seed, only where the filter says, after the latency", () => {
			const pattern = (seed: number) => {
				const faults = server.memoryStoreFaults();
				faults.clear();
				faults.setFailureRate(0.5, seed);
				faults.filter((request) => request.name === "Specs" && request.isWrite);
				let text = "";
				for (let index = 1; index <= 20; index++) {
					text += errorOf(() => hashMap.SetAsync(`k${index}`, index, 60)) === undefined ? "." : "x";
				}
				expect(errorOf(() => memoryStoreOf(server).GetHashMap("Other").SetAsync("k", 1, 60))).toBeUndefined();
				return text;
			};
			const first = pattern(7);
			expect(pattern(7)).toBe(first);
			expect(first.find("x")[0]).toBeDefined();
			expect(first.find("%.")[0]).toBeDefined();

			server.memoryStoreFaults().clear();
			server.memoryStoreFaults().setLatency(2);
			const [, seconds] = timed(() => hashMap.GetAsync("k1"));
			expect(seconds).toBeGreaterThanOrEqual(2);
		});
	});
});
