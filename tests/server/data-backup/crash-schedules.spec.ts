import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { joinPlayer, startGameServer } from "./backup-world";
import { buildsOnFreshServer, CLEAN, Ledger, storedIds } from "./ledger";
import { QuotaWatch } from "./quota-watch";

const profileWrites = (request: HeadlessDataStoreRequest) => request.name === DataStoreNames.playerData && request.isWrite;

/** Profile saves fail on `server` at a seeded rate, so backups and the journal must carry the build. */
function unreliableProfileSaves(server: HeadlessServer, seed: number) {
	const faults = server.dataStoreFaults();
	faults.filter(profileWrites);
	faults.setFailureRate(0.5, seed);
}

/**
 * One visit: the player builds at the moderation preset's pace, sometimes a backup lands, and the
 * last change before the step ends is a removal (the crash, if any, comes right after it).
 */
function visit(server: HeadlessServer, userId: number, ledger: Ledger, random: Random, watch: QuotaWatch, backups: () => void) {
	const placements = random.NextInteger(3, 6);
	for (let index = 0; index < placements; index++) {
		ledger.place(server, userId, 1);
		Headless.seconds(2);
		watch.sample(server);
	}
	if (random.NextNumber() < 0.5) backups();
	ledger.place(server, userId, 1);
	ledger.remove(server, userId, random.NextInteger(1, 2));
	watch.sample(server);
}

describe("crash schedules (seeded): no acknowledged change is lost, resurrected or duplicated", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("hops A -> B -> A with a crash at every step, each right after a removal", () => {
		const seed = 11;
		const random = new Random(seed);
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const userId = 6501;
		// Each step: the player is on a server of the role, builds, and that server crashes; the
		// player moves to the other role (a crashed server is replaced by a fresh one).
		const roles = ["A", "B", "A"];
		let step = 0;
		for (const role of roles) {
			step += 1;
			const current = startGameServer(world, dataStore, `${role}${step}`);
			watch.watch(current.server);
			unreliableProfileSaves(current.server, seed + step);
			joinPlayer(world, current.server, userId, 180);
			expect(ledger.judge(userId, storedIds(current.server, userId))).toEqual(CLEAN);
			visit(current.server, userId, ledger, random, watch, () => current.systems.backups.forceBackup("incremental"));
			Headless.crashServer(current.server);
		}
		const { builds, server } = buildsOnFreshServer(world, dataStore, [userId], "after-hops");
		watch.sample(server);
		expect(ledger.judge(userId, builds.get(userId)!)).toEqual(CLEAN);
		expect([...builds.get(userId)!].sort()).toEqual(ledger.expected(userId));
		watch.report("hops with a crash at every step", ledger);
	});

	it("hops A -> B -> A back to a live A that then crashes, with unreliable profile saves everywhere", () => {
		const seed = 12;
		const random = new Random(seed);
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const userId = 6502;
		const a = startGameServer(world, dataStore, "A");
		const b = startGameServer(world, dataStore, "B");
		watch.watch(a.server);
		watch.watch(b.server);
		unreliableProfileSaves(a.server, seed);
		unreliableProfileSaves(b.server, seed + 1);
		const hops = [a, b, a];
		let index = 0;
		for (const current of hops) {
			index += 1;
			const client = joinPlayer(world, current.server, userId, 180);
			expect(ledger.judge(userId, storedIds(current.server, userId))).toEqual(CLEAN);
			visit(current.server, userId, ledger, random, watch, () => current.systems.backups.forceBackup("incremental"));
			if (index < hops.size()) {
				client.disconnect();
				Headless.seconds(3);
				watch.sample(current.server);
			}
		}
		// Back on A, right after a removal: A crashes, B is shut down.
		Headless.crashServer(a.server);
		Headless.stopServer(b.server);
		const { builds, server } = buildsOnFreshServer(world, dataStore, [userId], "after-return");
		watch.sample(server);
		expect(ledger.judge(userId, builds.get(userId)!)).toEqual(CLEAN);
		expect([...builds.get(userId)!].sort()).toEqual(ledger.expected(userId));
		watch.report("hops back to a live server that crashes", ledger);
	});

	it("a crash in the middle of a 90 s outage of every store the game writes, right after a removal", () => {
		const seed = 13;
		const random = new Random(seed);
		const dataStore = Headless.newDataStore();
		const ledger = new Ledger();
		const watch = new QuotaWatch();
		const players = [6511, 6512];
		const a = startGameServer(world, dataStore, "in-outage");
		watch.watch(a.server);
		for (const userId of players) joinPlayer(world, a.server, userId);
		for (const userId of players) visit(a.server, userId, ledger, random, watch, () => a.systems.backups.forceBackup("full"));
		// Profiles and backups both fail from here; the journal carries every change.
		a.server.dataStoreFaults().failNext(100_000);
		const outageStarted = Headless.now();
		while (Headless.now() - outageStarted < 45) {
			for (const userId of players) visit(a.server, userId, ledger, random, watch, () => a.systems.backups.forceBackup("incremental"));
		}
		Headless.crashServer(a.server);
		const { builds, server } = buildsOnFreshServer(world, dataStore, players, "after-outage-crash");
		watch.sample(server);
		for (const userId of players) {
			expect(ledger.judge(userId, builds.get(userId)!)).toEqual(CLEAN);
			expect([...builds.get(userId)!].sort()).toEqual(ledger.expected(userId));
		}
		watch.report("crash in the middle of an outage", ledger);
	});
});
