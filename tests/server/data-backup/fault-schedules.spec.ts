import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { backupStore, drainReadBudget, drainWriteBudget, joinPlayer, loaderOf, manifestOf, startGameServer, switchOffScheduledBackups } from "./backup-world";
import { buildsOnFreshServer, CLEAN, Ledger, storedIds } from "./ledger";
import { QuotaWatch } from "./quota-watch";

const profiles = (request: HeadlessDataStoreRequest) => request.name === DataStoreNames.playerData;
const backupsOnly = (request: HeadlessDataStoreRequest) => request.name === DataStoreNames.backups;

/** Starts a game server whose every frame `watch` samples. */
function watchedServer(world: World, watch: QuotaWatch, dataStore: HeadlessDataStore, name: string) {
	const started = startGameServer(world, dataStore, name);
	watch.watch(started.server);
	return started;
}

describe("fault schedules: no acknowledged change is lost, resurrected or duplicated", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a 90 s outage with players leaving before, during and after it", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "outage");
		const players = [6401, 6402, 6403];
		const clients = players.map((userId) => joinPlayer(world, a.server, userId));
		for (const userId of players) ledger.place(a.server, userId, 4);
		ledger.remove(a.server, 6401, 1);
		clients[0].disconnect(); // before
		Headless.seconds(5);
		const faults = a.server.dataStoreFaults();
		faults.failNext(100_000);
		ledger.place(a.server, 6402, 2);
		ledger.remove(a.server, 6402, 1);
		Headless.seconds(30);
		clients[1].disconnect(); // during
		ledger.place(a.server, 6403, 3);
		Headless.seconds(65);
		faults.clear();
		ledger.remove(a.server, 6403, 2);
		clients[2].disconnect(); // after
		Headless.seconds(20);
		Headless.stopServer(a.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, players, "after-outage");
		watch.sample(fresh);
		for (const userId of players) expect(ledger.judge(userId, builds.get(userId)!)).toEqual(CLEAN);
		for (const userId of players) expect([...builds.get(userId)!].sort()).toEqual(ledger.expected(userId));
		watch.report("a 90 s outage with players leaving before, during and after it", ledger);
	});

	it("leave and rejoin the same server while the leave save is still retrying: the newer build is handed over", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "rejoin");
		const client = joinPlayer(world, a.server, 6411);
		ledger.place(a.server, 6411, 5);
		ledger.remove(a.server, 6411, 2);
		// The leave save fails three times; the player rejoins while it backs off, so the new
		// session's load gets to the profile before the leave save does.
		let leaveSaveFailures = 0;
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => {
			const matches = profiles(request) && request.isWrite;
			if (matches) leaveSaveFailures += 1;
			return matches;
		});
		faults.failNext(3);
		client.disconnect();
		waitUntil(() => leaveSaveFailures >= 3, 60, "the leave save to fail three times");
		joinPlayer(world, a.server, 6411, 120);
		expect(loaderOf(a.server).decisionOf(6411)!.origin).toBe("handover");
		expect(ledger.judge(6411, storedIds(a.server, 6411))).toEqual(CLEAN);
		ledger.place(a.server, 6411, 2);
		faults.clear();
		Headless.stopServer(a.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, [6411], "after-rejoin");
		watch.sample(fresh);
		expect(ledger.judge(6411, builds.get(6411)!)).toEqual(CLEAN);
		expect([...builds.get(6411)!].sort()).toEqual(ledger.expected(6411));
		watch.report("leave and rejoin the same server while the leave save is still retrying", ledger);
	});

	it("server A cannot save profiles and its backups are slow: every player moving to B finds their build", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "cannot-save");
		const players = [6421, 6422, 6423, 6424];
		const clients = players.map((userId) => joinPlayer(world, a.server, userId));
		for (const userId of players) ledger.place(a.server, userId, 3);
		a.systems.backups.forceBackup("full");
		for (const userId of players) {
			ledger.place(a.server, userId, 2);
			ledger.remove(a.server, userId, 1);
		}
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => profiles(request) || backupsOnly(request));
		faults.setLatency(12);
		let requests = 0;
		a.systems.backups.backupFinished.Connect((result) => (requests = math.max(requests, result.requests)));
		// Profile saves fail outright; backups get through, slowly.
		faults.filter((request) => profiles(request) && request.isWrite);
		faults.failNext(100_000);
		faults.filter(backupsOnly);
		for (const client of clients) client.disconnect();
		const b = watchedServer(world, watch, dataStore, "takes-over");
		for (const userId of players) world.join(b.server, { userId, name: `Builder${userId}`, runScripts: false });
		waitUntil(() => players.every((userId) => b.systems.builds.isLoaded(userId)), 240, "every build to load on B");
		for (const userId of players) expect(ledger.judge(userId, storedIds(b.server, userId))).toEqual(CLEAN);
		for (const userId of players) expect([...storedIds(b.server, userId)].sort()).toEqual(ledger.expected(userId));
		expect(requests).toBeLessThanOrEqual(3);
		watch.report("server A cannot save profiles and its backups are slow", ledger);
	});

	it("hops A -> B -> A, then A crashes: the next server finds A's newer backups and resurrects nothing", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "A");
		let client = joinPlayer(world, a.server, 6431);
		ledger.place(a.server, 6431, 4);
		a.systems.backups.forceBackup();
		client.disconnect();
		Headless.seconds(3);
		const b = watchedServer(world, watch, dataStore, "B");
		client = joinPlayer(world, b.server, 6431, 120);
		// A released the profile with a save that landed: nothing can be newer, no backup is read.
		expect(loaderOf(b.server).decisionOf(6431)!.searchedBackups).toBe(false);
		ledger.place(b.server, 6431, 3);
		ledger.remove(b.server, 6431, 1);
		b.systems.backups.forceBackup();
		client.disconnect();
		Headless.seconds(3);
		joinPlayer(world, a.server, 6431, 120);
		ledger.remove(a.server, 6431, 2);
		ledger.place(a.server, 6431, 2);
		a.systems.backups.forceBackup();
		Headless.crashServer(a.server);
		Headless.crashServer(b.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, [6431], "C");
		watch.sample(fresh);
		expect(ledger.judge(6431, builds.get(6431)!)).toEqual(CLEAN);
		expect([...builds.get(6431)!].sort()).toEqual(ledger.expected(6431));
		expect(loaderOf(fresh).decisionOf(6431)!.origin).toBe("backup");
		watch.report("hops A -> B -> A, then A crashes", ledger);
	});

	it("stored-then-failed writes on the index, a chunk, the manifest and the profile: a crash restore still reaches the newest backup", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "stored-then-failed");
		switchOffScheduledBackups(a.systems.backups);
		joinPlayer(world, a.server, 6441);
		const faults = a.server.dataStoreFaults();
		// [which key, how many of its writes are stored and then reported failed]: the index and the
		// chunk twice (the retries succeed), the manifest every time (the backup gives up), the profile once.
		const keys: [(request: HeadlessDataStoreRequest) => boolean, number][] = [
			[(request) => backupsOnly(request) && request.scope === "index", 2],
			[(request) => backupsOnly(request) && request.key !== undefined && request.key.find("/", 1, true)[0] !== undefined && request.scope !== "index", 2],
			[(request) => backupsOnly(request) && request.key === "manifest", 100],
			[(request) => profiles(request) && request.isWrite, 1],
		];
		ledger.place(a.server, 6441, 2);
		for (const [predicate, count] of keys) {
			ledger.place(a.server, 6441, 2);
			ledger.remove(a.server, 6441, 1);
			faults.filter(predicate);
			faults.failAfterWrite(count);
			a.systems.backups.forceBackup("incremental");
			a.systems.playerData.getProfile(a.server.game.GetService("Players").GetPlayerByUserId(6441)!)!.Save();
			Headless.seconds(2);
			faults.clear();
		}
		// The manifest lists the backup whose manifest write was reported failed; its chunks go missing.
		const manifest = manifestOf(a.server)!;
		const succeeded = new Set(a.systems.backups.status().history.map((result) => result.id));
		const unacknowledged = manifest.entries.filter((entry) => !succeeded.has(entry.id));
		expect(unacknowledged.size()).toBe(1);
		backupStore(a.server, manifest.setId).RemoveAsync(`${unacknowledged[0].id}/1`);
		ledger.place(a.server, 6441, 1);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		Headless.crashServer(a.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, [6441], "restores");
		watch.sample(fresh);
		expect(ledger.judge(6441, builds.get(6441)!)).toEqual(CLEAN);
		expect([...builds.get(6441)!].sort()).toEqual(ledger.expected(6441));
		watch.report("stored-then-failed writes on the index, a chunk, the manifest and the profile", ledger);
	});

	it("two servers contending for one profile: the newer session's build wins, nothing duplicated", () => {
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "first");
		joinPlayer(world, a.server, 6451);
		ledger.place(a.server, 6451, 4);
		a.systems.backups.forceBackup();
		ledger.place(a.server, 6451, 2);
		const b = watchedServer(world, watch, dataStore, "second");
		joinPlayer(world, b.server, 6451, 180);
		ledger.remove(b.server, 6451, 1);
		ledger.place(b.server, 6451, 2);
		a.systems.backups.forceBackup("full");
		b.systems.backups.forceBackup();
		Headless.crashServer(b.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, [6451], "third");
		watch.sample(fresh);
		expect(ledger.judge(6451, builds.get(6451)!)).toEqual(CLEAN);
		expect([...builds.get(6451)!].sort()).toEqual(ledger.expected(6451));
		watch.report("two servers contending for one profile", ledger);
	});
	it("budgets drained, half of the profile and backup requests failing with 5-20 s latency, players building, leaving and rejoining, then a crash", () => {
		const seed = 21;
		const random = new Random(seed);
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const a = watchedServer(world, watch, dataStore, "drained");
		const players = [6461, 6462, 6463];
		const clients = new Map<number, HeadlessClient>();
		for (const userId of players) clients.set(userId, joinPlayer(world, a.server, userId));
		for (const userId of players) ledger.place(a.server, userId, 3);
		const faults = a.server.dataStoreFaults();
		faults.filter((request) => profiles(request) || backupsOnly(request));
		faults.setFailureRate(0.5, seed);
		const latencies: number[] = [];
		let rejoins = 0;
		for (let phase = 0; phase < 6; phase++) {
			// Each phase the budgets are drained again and the stores answer at a new seeded latency.
			drainWriteBudget(a.server);
			drainReadBudget(a.server);
			const latency = random.NextNumber(5, 20);
			latencies.push(latency);
			faults.setLatency(latency);
			for (const userId of players) {
				const client = clients.get(userId);
				if (client === undefined) {
					// Back on the same server, often while the leave save is still retrying. With half the
					// requests failing at up to 20 s each, the load can take minutes; how many depends on
					// where the virtual clock stands against the stores' budget refills, so the bound is wide.
					clients.set(userId, joinPlayer(world, a.server, userId, 1200));
					rejoins += 1;
					continue;
				}
				ledger.place(a.server, userId, random.NextInteger(1, 3));
				if (random.NextNumber() < 0.6) ledger.remove(a.server, userId, 1);
				if (random.NextNumber() < 0.35) {
					client.disconnect();
					clients.delete(userId);
				}
				Headless.seconds(random.NextNumber(1, 4));
			}
		}
		expect(rejoins).toBeGreaterThan(0);
		Headless.crashServer(a.server);
		const { builds, server: fresh } = buildsOnFreshServer(world, dataStore, players, "after-drained");
		watch.sample(fresh);
		for (const userId of players) {
			expect(ledger.judge(userId, builds.get(userId)!)).toEqual(CLEAN);
			expect([...builds.get(userId)!].sort()).toEqual(ledger.expected(userId));
		}
		print(`drained schedule: latencies ${latencies.map((latency) => string.format("%.1f", latency)).join(", ")} s, ${rejoins} rejoins`);
		watch.report("budgets drained plus 50 % failures with 5-20 s latency", ledger);
	});
});
