import { afterEach, beforeEach, describe, expect, it } from "@rbxts/jest-globals";
import {
	dataStoreServer,
	dataStoreServiceOf,
	ensureRoomInHour,
	errorOf,
	HOURS_TIMEOUT,
	storeOf,
	uncached,
	unixMillis,
	updateAsync,
	useFreshStore,
	waitForNextHour,
} from "../harness/data-stores";
import { World } from "../harness/world";

interface Inventory {
	coins: number;
	items: string[];
	flags: { tutorial: boolean };
}

function versionsOf(store: DataStore, key: string, direction?: Enum.SortDirection, pageSize?: number) {
	const pages = store.ListVersionsAsync(key, direction, undefined, undefined, pageSize);
	return pages.GetCurrentPage().map((info) => ({
		version: info.Version,
		createdTime: info.CreatedTime,
		isDeleted: info.IsDeleted,
	}));
}

function keyNames(pages: DataStoreKeyPages): string[] {
	return (pages.GetCurrentPage() as DataStoreKey[]).map((entry) => entry.KeyName);
}

describe("DataStore reads and writes", () => {
	const given = useFreshStore();

	it("round-trips a table through SetAsync and GetAsync, giving every reader its own copy", () => {
		const saved: Inventory = { coins: 5, items: ["sword"], flags: { tutorial: true } };
		given.store.SetAsync("inventory", saved);
		saved.coins = 1000;
		saved.items.push("smuggled");

		const [first] = given.store.GetAsync<Inventory>("inventory");
		expect(first).toEqual({ coins: 5, items: ["sword"], flags: { tutorial: true } });
		first!.coins = 99;
		first!.items.push("shield");
		first!.flags.tutorial = false;

		const [cached] = given.store.GetAsync<Inventory>("inventory");
		const [fresh] = given.store.GetAsync<Inventory>("inventory", uncached(given.server));
		expect(cached).toEqual({ coins: 5, items: ["sword"], flags: { tutorial: true } });
		expect(cached).never.toBe(first);
		expect(fresh).toEqual({ coins: 5, items: ["sword"], flags: { tutorial: true } });
	});

	it("yields on every request, as a web call does: a thread deferred before SetAsync or GetAsync runs before it returns", () => {
		const order: string[] = [];
		task.defer(() => order.push("deferred before SetAsync"));
		given.store.SetAsync("yielding", 1);
		order.push("SetAsync returned");
		task.defer(() => order.push("deferred before GetAsync"));
		given.store.GetAsync("yielding", uncached(given.server));
		order.push("GetAsync returned");
		expect(order).toEqual(["deferred before SetAsync", "SetAsync returned", "deferred before GetAsync", "GetAsync returned"]);
	});

	it("returns nothing for a key that was never written", () => {
		const [value, info] = given.store.GetAsync("never-written");
		expect(value).toBeUndefined();
		expect(info).toBeUndefined();
	});

	it("keeps scopes and data given.store names apart", () => {
		storeOf(given.server, "Specs", "season1").SetAsync("shared-key", "season one");
		storeOf(given.server, "Specs", "season2").SetAsync("shared-key", "season two");
		storeOf(given.server, "Other").SetAsync("shared-key", "other store");
		expect(storeOf(given.server, "Specs", "season1").GetAsync("shared-key")[0]).toBe("season one");
		expect(storeOf(given.server, "Specs", "season2").GetAsync("shared-key")[0]).toBe("season two");
		expect(storeOf(given.server, "Other").GetAsync("shared-key")[0]).toBe("other store");
		expect(given.store.GetAsync("shared-key")[0]).toBeUndefined();
	});

	it("describes each write in DataStoreKeyInfo: version, times, user ids and metadata", () => {
		const options = given.server.create("DataStoreSetOptions");
		options.SetMetadata({ source: "shop", revision: 3 });
		const createdAt = unixMillis();
		const version = given.store.SetAsync("profile", { level: 1 }, [101, 202], options);

		const [value, info] = given.store.GetAsync("profile");
		expect(value).toEqual({ level: 1 });
		expect(info!.Version).toBe(version);
		expect(info!.CreatedTime).toBe(createdAt);
		expect(info!.UpdatedTime).toBe(createdAt);
		expect(info!.GetUserIds()).toEqual([101, 202]);
		expect(info!.GetMetadata()).toEqual({ source: "shop", revision: 3 });

		Headless.seconds(10);
		const updatedAt = unixMillis();
		const secondVersion = given.store.SetAsync("profile", { level: 2 });
		const [, secondInfo] = given.store.GetAsync("profile");
		expect(secondVersion).never.toBe(version);
		expect(secondInfo!.Version).toBe(secondVersion);
		expect(secondInfo!.CreatedTime).toBe(createdAt);
		expect(secondInfo!.UpdatedTime).toBe(updatedAt);
		expect(updatedAt - createdAt).toBeGreaterThanOrEqual(10_000);
		// A write without user ids or metadata clears them.
		expect(secondInfo!.GetUserIds()).toEqual([]);
		expect(secondInfo!.GetMetadata()).toEqual({});
	});

	it("runs UpdateAsync's transform on the stored value and keeps what it returns", () => {
		given.store.SetAsync("counter", 41, [7]);
		const seen: Array<[number | undefined, string | undefined]> = [];
		const [newValue, info] = updateAsync<number, number>(given.store, "counter", (old, oldInfo) => {
			seen.push([old, oldInfo?.Version]);
			return [(old ?? 0) + 1, [7, 8], { reason: "bonus" }];
		});
		const [, currentInfo] = given.store.GetAsync("counter");

		expect(seen.size()).toBe(1);
		expect(seen[0][0]).toBe(41);
		expect(newValue).toBe(42);
		expect(info!.Version).toBe(currentInfo!.Version);
		expect(seen[0][1]).never.toBe(info!.Version);
		expect(info!.GetUserIds()).toEqual([7, 8]);
		expect(info!.GetMetadata()).toEqual({ reason: "bonus" });
		expect(given.store.GetAsync("counter", uncached(given.server))[0]).toBe(42);
	});

	it("hands UpdateAsync's transform a copy it may change in place", () => {
		const saved: Inventory = { coins: 1, items: [], flags: { tutorial: false } };
		given.store.SetAsync("bag", saved);
		const [updated] = updateAsync<Inventory, Inventory>(given.store, "bag", (old) => {
			old!.coins += 10;
			old!.items.push("map");
			return [old];
		});
		expect(updated).toEqual({ coins: 11, items: ["map"], flags: { tutorial: false } });
		expect(saved).toEqual({ coins: 1, items: [], flags: { tutorial: false } });
		expect(given.store.GetAsync("bag", uncached(given.server))[0]).toEqual({ coins: 11, items: ["map"], flags: { tutorial: false } });
	});

	it("refuses an UpdateAsync transform that yields, as Roblox documents it cannot: an error, nothing written, and the rest of the transform never runs", () => {
		given.store.SetAsync("patient", 1);
		let resumed = false;
		const [ok, problem] = pcall(() =>
			updateAsync<number, number>(given.store, "patient", (old) => {
				task.wait(0.1);
				resumed = true;
				return [old! + 1];
			}),
		);
		expect(ok).toBe(false);
		expect(tostring(problem)).toMatch("cannot yield");
		Headless.seconds(1);
		expect(resumed).toBe(false);
		expect(given.store.GetAsync("patient", uncached(given.server))[0]).toBe(1);
		// A transform that errors passes its error on.
		const [failed, why] = pcall(() => updateAsync<number, number>(given.store, "patient", () => error("broken transform")));
		expect(failed).toBe(false);
		expect(tostring(why)).toMatch("broken transform");
	});

	it("gives UpdateAsync nothing for a missing key and writes nothing when the transform returns nil", () => {
		const [created] = updateAsync<number, number>(given.store, "fresh", (old, oldInfo) => {
			expect(old).toBeUndefined();
			expect(oldInfo).toBeUndefined();
			return [1];
		});
		expect(created).toBe(1);
		const [, before] = given.store.GetAsync("fresh", uncached(given.server));

		let calls = 0;
		const [value, info] = updateAsync<number, number>(given.store, "fresh", () => {
			calls += 1;
			return [];
		});
		expect(calls).toBe(1);
		expect(value).toBeUndefined();
		expect(info).toBeUndefined();

		const [after, afterInfo] = given.store.GetAsync("fresh", uncached(given.server));
		expect(after).toBe(1);
		expect(afterInfo!.Version).toBe(before!.Version);
		expect(versionsOf(given.store, "fresh").size()).toBe(1);
	});

	it("increments integers with IncrementAsync, starting a missing key at zero", () => {
		const [first, firstInfo] = given.store.IncrementAsync("visits");
		expect(first).toBe(1);
		expect(firstInfo.Version).toBe(given.store.GetAsync("visits")[1]!.Version);
		const [second] = given.store.IncrementAsync("visits", 5, [9]);
		expect(second).toBe(6);
		const [third, thirdInfo] = given.store.IncrementAsync("visits", -10);
		expect(third).toBe(-4);
		expect(thirdInfo.GetUserIds()).toEqual([]);
		expect(given.store.GetAsync("visits", uncached(given.server))[0]).toBe(-4);
	});

	it("refuses to increment a value that is not an integer and leaves it as it was", () => {
		const message = "IncrementAsync() can't increment a value that is not an integer.";
		given.store.SetAsync("fraction", 1.5);
		given.store.SetAsync("text", "ten");
		given.store.SetAsync("table", { count: 1 });
		expect(errorOf(() => given.store.IncrementAsync("fraction"))).toBe(message);
		expect(errorOf(() => given.store.IncrementAsync("text", 2))).toBe(message);
		expect(errorOf(() => given.store.IncrementAsync("table"))).toBe(message);
		expect(given.store.GetAsync("fraction", uncached(given.server))[0]).toBe(1.5);
		expect(given.store.GetAsync("text", uncached(given.server))[0]).toBe("ten");
		expect(given.store.GetAsync("table", uncached(given.server))[0]).toEqual({ count: 1 });
	});

	it("removes a key with RemoveAsync, returning what it held", () => {
		const version = given.store.SetAsync("doomed", { hp: 3 }, [55]);
		const [previous, previousInfo] = given.store.RemoveAsync<{ hp: number }>("doomed");
		expect(previous).toEqual({ hp: 3 });
		expect(previousInfo!.Version).toBe(version);
		expect(previousInfo!.GetUserIds()).toEqual([55]);

		const [value, info] = given.store.GetAsync("doomed");
		expect(value).toBeUndefined();
		expect(info).toBeUndefined();
		expect(given.store.GetAsync("doomed", uncached(given.server))[0]).toBeUndefined();

		const [again, againInfo] = given.store.RemoveAsync("doomed");
		expect(again).toBeUndefined();
		expect(againInfo).toBeUndefined();
	});
});

describe("DataStore limits", () => {
	const given = useFreshStore();

	it("refuses an empty key", () => {
		expect(errorOf(() => given.store.SetAsync("", 1))).toBe("101: Key name can't be empty.");
		expect(errorOf(() => given.store.GetAsync(""))).toBe("101: Key name can't be empty.");
		expect(errorOf(() => updateAsync(given.store, "", () => [1]))).toBe("101: Key name can't be empty.");
	});

	it("accepts keys of up to 50 characters and refuses longer ones", () => {
		const longest = string.rep("k", 50);
		const tooLong = string.rep("k", 51);
		given.store.SetAsync(longest, "fits");
		expect(given.store.GetAsync(longest, uncached(given.server))[0]).toBe("fits");
		const message = "102: Key name exceeds the 50 character limit.";
		expect(errorOf(() => given.store.SetAsync(tooLong, "too long"))).toBe(message);
		expect(errorOf(() => given.store.GetAsync(tooLong))).toBe(message);
		expect(errorOf(() => given.store.RemoveAsync(tooLong))).toBe(message);
	});

	it("refuses data given.store names over 50 characters", () => {
		const service = dataStoreServiceOf(given.server);
		expect(errorOf(() => service.GetDataStore(string.rep("n", 51)))).toBe(
			"DataStore name exceeds the 50 character limit.",
		);
		expect(errorOf(() => service.GetDataStore(string.rep("n", 50)))).toBeUndefined();
	});

	it("measures the 4,194,304 character limit on the JSON-encoded value and stores nothing over it", () => {
		// A string encodes with its two quotes; every quote inside becomes two characters.
		const fits = string.rep("x", 4_194_302);
		const overByOne = string.rep("x", 4_194_303);
		const escapedOver = string.rep('"', 2_097_152);
		given.store.SetAsync("big", fits);
		expect((given.store.GetAsync<string>("big", uncached(given.server))[0] ?? "").size()).toBe(4_194_302);

		const message = "105: Serialized value exceeds 4MB limit.";
		expect(errorOf(() => given.store.SetAsync("big", overByOne))).toBe(message);
		expect(errorOf(() => given.store.SetAsync("escaped", escapedOver))).toBe(message);
		expect(errorOf(() => updateAsync(given.store, "escaped", () => [escapedOver]))).toBe(message);

		expect((given.store.GetAsync<string>("big", uncached(given.server))[0] ?? "").size()).toBe(4_194_302);
		expect(given.store.GetAsync("escaped", uncached(given.server))[0]).toBeUndefined();
		expect(versionsOf(given.store, "big").size()).toBe(1);
	});

	it("accepts metadata of up to 300 encoded characters and refuses more", () => {
		// {"note":"…"} adds eleven characters to the note.
		const fits = given.server.create("DataStoreSetOptions");
		fits.SetMetadata({ note: string.rep("m", 289) });
		const tooLarge = given.server.create("DataStoreSetOptions");
		tooLarge.SetMetadata({ note: string.rep("m", 290) });

		given.store.SetAsync("noted", 1, undefined, fits);
		expect(given.store.GetAsync("noted")[1]!.GetMetadata()).toEqual({ note: string.rep("m", 289) });
		const message = "511: Metadata attribute size exceeds 300 bytes limit.";
		expect(errorOf(() => given.store.SetAsync("noted", 2, undefined, tooLarge))).toBe(message);
		expect(errorOf(() => updateAsync(given.store, "noted", () => [3, [], { note: string.rep("m", 290) }]))).toBe(
			message,
		);
		expect(given.store.GetAsync("noted", uncached(given.server))[0]).toBe(1);
	});

	it("refuses more than four user ids", () => {
		expect(errorOf(() => given.store.SetAsync("owners", 1, [1, 2, 3, 4, 5]))).toBe("512: UserID size exceeds 4 limit.");
		given.store.SetAsync("owners", 1, [1, 2, 3, 4]);
		expect(given.store.GetAsync("owners")[1]!.GetUserIds()).toEqual([1, 2, 3, 4]);
	});

	it("refuses functions, Instances and engine datatypes, even nested, and stores nothing", () => {
		const part = given.server.create("Part");
		expect(errorOf(() => given.store.SetAsync("odd", () => 1))).toBe("103: Can't allow function in DataStore.");
		expect(errorOf(() => given.store.SetAsync("odd", { callback: () => 1 }))).toBe(
			"103: Can't allow function in DataStore.",
		);
		expect(errorOf(() => given.store.SetAsync("odd", part))).toBe("103: Can't allow Instance in DataStore.");
		expect(errorOf(() => given.store.SetAsync("odd", { owner: { model: part } }))).toBe(
			"103: Can't allow Instance in DataStore.",
		);
		expect(errorOf(() => given.store.SetAsync("odd", new Vector3(1, 2, 3)))).toBe(
			"103: Can't allow Vector3 in DataStore.",
		);
		expect(errorOf(() => updateAsync(given.store, "odd", () => [[part]]))).toBe(
			"103: Can't allow Instance in DataStore.",
		);
		expect(given.store.GetAsync("odd", uncached(given.server))[0]).toBeUndefined();
		expect(keyNames(given.store.ListKeysAsync())).toEqual([]);
	});

	it("refuses SetAsync without a value", () => {
		expect(errorOf(() => given.store.SetAsync("empty"))).toBe("Argument 2 missing or nil");
		expect(given.store.GetAsync("empty")[0]).toBeUndefined();
	});
});

describe("DataStore versions", () => {
	const given = useFreshStore();

	it(
		"lists versions in pages, oldest first unless asked otherwise",
		() => {
			ensureRoomInHour(60);
			const firstAt = unixMillis();
			const first = given.store.SetAsync("history", "one");
			const second = given.store.SetAsync("history", "two");
			const secondAt = unixMillis();
			expect(given.store.GetAsync("history")[1].UpdatedTime).toBe(secondAt);

			const pages = given.store.ListVersionsAsync("history", Enum.SortDirection.Ascending, undefined, undefined, 1);
			const firstPage = pages.GetCurrentPage();
			expect(firstPage.size()).toBe(1);
			expect(firstPage[0].Version).toBe(first);
			expect(firstPage[0].CreatedTime).toBe(firstAt);
			expect(firstPage[0].IsDeleted).toBe(false);
			expect(pages.IsFinished).toBe(false);

			pages.AdvanceToNextPageAsync();
			const secondPage = pages.GetCurrentPage();
			expect(secondPage.size()).toBe(1);
			expect(secondPage[0].Version).toBe(second);
			expect(secondPage[0].CreatedTime).toBe(secondAt);
			expect(pages.IsFinished).toBe(true);
			expect(errorOf(() => pages.AdvanceToNextPageAsync())).toBe("No pages to advance to.");

			const descending = versionsOf(given.store, "history", Enum.SortDirection.Descending);
			expect(descending.map((entry) => entry.version)).toEqual([second, first]);
			const onlyLater = given.store
				.ListVersionsAsync("history", Enum.SortDirection.Ascending, secondAt)
				.GetCurrentPage()
				.map((entry) => entry.Version);
			expect(onlyLater).toEqual([second]);
			expect(versionsOf(given.store, "never-written")).toEqual([]);
		},
		HOURS_TIMEOUT,
	);

	it(
		"returns an old value with GetVersionAsync",
		() => {
			ensureRoomInHour(60);
			const first = given.store.SetAsync("history", { step: 1 }, [3]);
			const second = given.store.SetAsync("history", { step: 2 });

			const [old, oldInfo] = given.store.GetVersionAsync("history", first);
			expect(old).toEqual({ step: 1 });
			expect(oldInfo!.Version).toBe(first);
			expect(oldInfo!.GetUserIds()).toEqual([3]);
			const [latest, latestInfo] = given.store.GetVersionAsync("history", second);
			expect(latest).toEqual({ step: 2 });
			expect(latestInfo!.Version).toBe(second);
			expect(given.store.GetVersionAsync("history", "no-such-version")[0]).toBeUndefined();
		},
		HOURS_TIMEOUT,
	);

	it(
		"keeps only the first write of each UTC hour besides the latest",
		() => {
			waitForNextHour();
			const first = given.store.SetAsync("hourly", 1);
			const second = given.store.SetAsync("hourly", 2);
			const third = given.store.SetAsync("hourly", 3);
			expect(versionsOf(given.store, "hourly").map((entry) => entry.version)).toEqual([first, third]);
			expect(given.store.GetVersionAsync("hourly", second)[0]).toBeUndefined();
			expect(given.store.GetVersionAsync("hourly", first)[0]).toBe(1);

			waitForNextHour();
			const fourth = given.store.SetAsync("hourly", 4);
			const fifth = given.store.SetAsync("hourly", 5);
			expect(versionsOf(given.store, "hourly").map((entry) => entry.version)).toEqual([first, fourth, fifth]);
			expect(given.store.GetVersionAsync("hourly", third)[0]).toBeUndefined();
			expect(given.store.GetVersionAsync("hourly", fourth)[0]).toBe(4);
			expect(given.store.GetAsync("hourly", uncached(given.server))[0]).toBe(5);
		},
		HOURS_TIMEOUT,
	);

	it(
		"expires a historic version 30 days after a newer write overwrote it; the latest never expires",
		() => {
			ensureRoomInHour(60);
			const first = given.store.SetAsync("aging", 1);
			const firstAt = unixMillis();
			Headless.skipTime(3600);
			const second = given.store.SetAsync("aging", 2);
			Headless.skipTime(29 * 86400);
			expect(given.store.GetVersionAsync("aging", first)[0]).toBe(1);
			// Typed as one value: the first of the two it returns.
			const atTime = () => {
				const value = given.store.GetVersionAtTimeAsync("aging", firstAt);
				return value;
			};
			expect(atTime()).toBe(1);
			Headless.skipTime(2 * 86400);
			expect(given.store.GetVersionAsync("aging", first)[0]).toBeUndefined();
			expect(atTime()).toBeUndefined();
			expect(versionsOf(given.store, "aging").map((entry) => entry.version)).toEqual([second]);
			Headless.skipTime(60 * 86400);
			expect(given.store.GetVersionAsync("aging", second)[0]).toBe(2);
			expect(given.store.GetAsync("aging", uncached(given.server))[0]).toBe(2);
		},
		// Virtual time: the clock jumps 92 days.
		100 * 86_400_000,
	);

	it(
		"keeps only an hour's first write once that one has expired too: a later write of its hour does not take its place",
		() => {
			waitForNextHour();
			given.store.SetAsync("expired-hour", 1);
			given.store.SetAsync("expired-hour", 2);
			Headless.skipTime(31 * 86400);
			const third = given.store.SetAsync("expired-hour", 3);
			expect(versionsOf(given.store, "expired-hour").map((entry) => entry.version)).toEqual([third]);
		},
		// Virtual time: the clock jumps 31 days.
		40 * 86_400_000,
	);

	it(
		"marks a removal as a deleted version and keeps the versions before it",
		() => {
			ensureRoomInHour(60);
			const keptAt = unixMillis();
			const kept = given.store.SetAsync("removable", "before");
			given.store.RemoveAsync("removable");
			const removedAt = unixMillis();

			const versions = versionsOf(given.store, "removable");
			expect(versions).toEqual([
				{ version: kept, createdTime: keptAt, isDeleted: false },
				{ version: versions[1].version, createdTime: removedAt, isDeleted: true },
			]);
			expect(versions[1].version).never.toBe(kept);
			expect(given.store.GetVersionAsync("removable", versions[1].version)[0]).toBeUndefined();
			expect(given.store.GetVersionAsync("removable", kept)[0]).toBe("before");

			// Writing again re-creates the key.
			given.store.SetAsync("removable", "after");
			const recreatedAt = unixMillis();
			const [value, info] = given.store.GetAsync("removable");
			expect(value).toBe("after");
			expect(info.CreatedTime).toBe(recreatedAt);
			expect(recreatedAt).toBeGreaterThan(removedAt);
		},
		HOURS_TIMEOUT,
	);
});

describe("DataStore key listing", () => {
	const world = new World();
	let server: HeadlessServer;
	let store: DataStore;
	beforeEach(() => {
		server = dataStoreServer(world);
		store = storeOf(server);
		for (const key of ["player_3", "player_1", "shop", "player_5", "player_2", "player_4"]) store.SetAsync(key, key);
	});
	afterEach(() => world.stop());

	it("lists keys in order, filtered by prefix, page by page", () => {
		const pages = store.ListKeysAsync("player_", 2);
		expect(keyNames(pages)).toEqual(["player_1", "player_2"]);
		expect(pages.IsFinished).toBe(false);
		pages.AdvanceToNextPageAsync();
		expect(keyNames(pages)).toEqual(["player_3", "player_4"]);
		expect(pages.IsFinished).toBe(false);
		pages.AdvanceToNextPageAsync();
		expect(keyNames(pages)).toEqual(["player_5"]);
		expect(pages.IsFinished).toBe(true);

		const everything = store.ListKeysAsync();
		expect(keyNames(everything)).toEqual(["player_1", "player_2", "player_3", "player_4", "player_5", "shop"]);
		expect(everything.IsFinished).toBe(true);
		expect(keyNames(store.ListKeysAsync("nobody_"))).toEqual([]);
	});

	it("lists only the store's own scope and keeps removed keys unless asked to exclude them", () => {
		storeOf(server, "Specs", "elsewhere").SetAsync("player_9", 9);
		store.RemoveAsync("player_2");
		expect(keyNames(store.ListKeysAsync("player_", 10))).toEqual([
			"player_1",
			"player_2",
			"player_3",
			"player_4",
			"player_5",
		]);
		expect(keyNames(store.ListKeysAsync("player_", 10, undefined, true))).toEqual([
			"player_1",
			"player_3",
			"player_4",
			"player_5",
		]);
	});
});
