import { expect } from "@rbxts/jest-globals";
import type { BuildJournalService } from "server/build-journal/build-journal-service";
import type { LoadDecision } from "server/build-loading/build-load-service";
import type { PlaceResult, RemoveResult } from "shared/placement/placement-types";
import { DataStoreNames } from "shared/config/data-stores";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, loaderOf, loadOnFreshServer, playerOn, profileOn, startGameServer, startWithoutScheduledBackups, switchOffScheduledBackups } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";

export function journalOf(server: HeadlessServer): BuildJournalService {
	return singletonOf(server, "ServerScriptService.TS.build-journal.build-journal-service", "BuildJournalService");
}

/**
 * A game server (of `dataStore`'s experience, started by `start`) with `userId` joined and
 * `changes` chairs of theirs placed, the answers kept in `acked` and the ids in `ids`; `afterJoin`
 * sets up faults or settings before the first placement.
 */
export function serverWithChanges(
	world: World,
	userId: number,
	changes: number,
	dataStore = Headless.newDataStore(),
	name?: string,
	afterJoin?: (started: ReturnType<typeof startGameServer>) => void,
	start: typeof startGameServer = startGameServer,
) {
	const started = start(world, dataStore, name);
	const client = joinPlayer(world, started.server, userId);
	afterJoin?.(started);
	const acked = new Acknowledged();
	const ids: string[] = [];
	for (let index = 0; index < changes; index++) ids.push(acked.place(started.server, userId, index));
	return { ...started, client, acked, ids, journal: journalOf(started.server) };
}

/**
 * Server A ("cannot-save"), where `userId` and a player who stays (`stayer`) join and then no
 * profile write lands: `userId` places 3 chairs, then a full backup, 2 more, then an incremental
 * (all answered durable).
 */
export function serverWithUnsavedBuild(world: World, dataStore: HeadlessDataStore, userId: number, stayer: number) {
	const a = serverWithChanges(
		world,
		userId,
		3,
		dataStore,
		"cannot-save",
		({ server }) => {
			joinPlayer(world, server, stayer);
			failProfileWrites(server);
		},
		startWithoutScheduledBackups,
	);
	expect(a.systems.backups.forceBackup("full").success).toBe(true);
	for (let index = 3; index < 5; index++) a.acked.place(a.server, userId, index);
	expect(a.systems.backups.forceBackup().success).toBe(true);
	expect(a.acked.answers.every((saved) => saved === "durable")).toBe(true);
	return a;
}

/**
 * A server that will be taken over without knowing it: `userId` joins and places `changes`
 * chairs (answered durable), then its profile saves never land and it misses every message. Its
 * backups land, and run only when forced.
 */
export function startUnawareServer(world: World, dataStore: HeadlessDataStore, userId: number, changes: number) {
	const a = serverWithChanges(world, userId, changes, dataStore, "old", ({ systems }) => switchOffScheduledBackups(systems.backups));
	failProfileWrites(a.server);
	a.server.setDropsMessages(true);
	return a;
}

/** A server that takes `userId` over from an unaware one (see startUnawareServer); backups only when forced. */
export function startTakingOver(world: World, dataStore: HeadlessDataStore) {
	return startWithoutScheduledBackups(world, dataStore, "new");
}

/** Profile writes a spec lets through (`allowed`) or stops failing (`failing`), and how many failed. */
export interface LeaveSaveFaults {
	allowed: number;
	failing: boolean;
	readonly failures: () => number;
}

/**
 * Fails every profile write on `server` (while `failing`, past the `allowed` ones) and its backup
 * requests (only the writes, with `backupReads`), so a leave save keeps retrying.
 */
export function failLeaveSaves(server: HeadlessServer, backupReads = false): LeaveSaveFaults {
	let failures = 0;
	const state: LeaveSaveFaults = { allowed: 0, failing: true, failures: () => failures };
	const faults = server.dataStoreFaults();
	faults.filter((request) => {
		if (request.name === DataStoreNames.backups) return !backupReads || request.isWrite;
		if (request.name !== DataStoreNames.playerData || !request.isWrite || !state.failing) return false;
		if (state.allowed > 0) {
			state.allowed -= 1;
			return false;
		}
		failures += 1;
		return true;
	});
	faults.setFailureRate(1, 3);
	return state;
}

/**
 * The player leaves `server` and joins it again while their leave save keeps failing, so the
 * rejoin loads the build the ended session left there (a hand-over). From the leave on nothing
 * reaches the DataStore but the rejoining session's lock: backups fail, and so does every other
 * profile write. Returns how the rejoin decided the build.
 */
export function rejoinWithHandover(world: World, server: HeadlessServer, client: HeadlessClient, userId: number): LoadDecision {
	const faults = failLeaveSaves(server);
	client.disconnect();
	waitUntil(() => faults.failures() >= 2, 60, "the leave save to fail");
	faults.allowed = 1;
	joinPlayer(world, server, userId, 120);
	return loaderOf(server).decisionOf(userId)!;
}

/** Crashes both servers and loads `userId` on a third: that server, and the ids of the build it loads. */
export function loadAfterBothCrash(world: World, dataStore: HeadlessDataStore, first: HeadlessServer, second: HeadlessServer, userId: number) {
	Headless.crashServer(first);
	Headless.crashServer(second);
	const c = loadOnFreshServer(world, dataStore, userId);
	return { c, build: c.build };
}

/** Places chair number `index` of a grid on the player's plot, as the player would. */
export function placeChair(server: HeadlessServer, userId: number, index: number): PlaceResult {
	const position = new Vector3(2 + (index % 20) * 4, 0, 2 + math.floor(index / 20) * 4);
	return systemsOf(server).systems.placeObject(playerOn(server, userId), "chair", position, (index % 4) * 90);
}

export function removeObject(server: HeadlessServer, userId: number, placementId: string): RemoveResult {
	return systemsOf(server).systems.removeObject(playerOn(server, userId), placementId);
}

/** What the player was told: every acknowledged placement still standing, by id. */
export class Acknowledged {
	readonly standing = new Set<string>();
	readonly removed = new Set<string>();
	readonly answers: string[] = [];

	place(server: HeadlessServer, userId: number, index: number): string {
		return this.placed(placeChair(server, userId, index), `chair ${index}`);
	}

	/** Records a placement made elsewhere (e.g. from a thread of its own); asserts it went through. */
	placed(result: PlaceResult, what = "a placement"): string {
		assert(result.success, `${what} was refused: ${result.success ? "" : result.message}`);
		this.standing.add(result.placementId);
		this.answers.push(result.saved ?? "none");
		return result.placementId;
	}

	remove(server: HeadlessServer, userId: number, placementId: string) {
		const result = removeObject(server, userId, placementId);
		assert(result.success, `removing ${placementId} was refused: ${result.success ? "" : result.message}`);
		this.standing.delete(placementId);
		this.removed.add(placementId);
		this.answers.push(result.saved ?? "none");
	}

	/** Acknowledged placements missing from `build`, and removed ones back in it. */
	compare(build: readonly string[]): { lost: number; resurrected: number; duplicated: number } {
		const present = new Set(build);
		let lost = 0;
		for (const id of this.standing) if (!present.has(id)) lost += 1;
		let resurrected = 0;
		for (const id of this.removed) if (present.has(id)) resurrected += 1;
		return { lost, resurrected, duplicated: build.size() - present.size() };
	}
}

/** What Acknowledged.compare answers for a build that holds exactly what was acknowledged. */
export const NOTHING_LOST: Readonly<ReturnType<Acknowledged["compare"]>> = { lost: 0, resurrected: 0, duplicated: 0 };

/** Whether a load on `server` has said it waits for backups it cannot read. */
export function loadWaits(server: HeadlessServer): boolean {
	return server.output().join("\n").find("build waits")[0] !== undefined;
}

/** `userId` joins a fresh game server of `dataStore` that cannot read the backups (until `faults` is cleared). */
export function joinWithBackupsUnreadable(world: World, dataStore: HeadlessDataStore, userId: number) {
	const b = startGameServer(world, dataStore, "backups-unreadable");
	const faults = b.server.dataStoreFaults();
	faults.filter((request) => request.name === DataStoreNames.backups && !request.isWrite);
	faults.setFailureRate(1, 6);
	const client = world.join(b.server, { userId, name: `Builder${userId}`, runScripts: false });
	return { b, faults, client };
}

/**
 * Loads `userId` on a fresh server whose load first finds the backups unreadable: it loads
 * without them or waits for them (then they can be read again). The server and the ids it loaded.
 */
export function loadDecidedWithoutBackups(world: World, dataStore: HeadlessDataStore, userId: number) {
	const { b, faults } = joinWithBackupsUnreadable(world, dataStore, userId);
	const { builds } = systemsOf(b.server);
	waitUntil(() => builds.isLoaded(userId) || loadWaits(b.server), 180, "the load to decide");
	faults.clear();
	waitUntil(() => builds.isLoaded(userId), 120, "the build to load");
	return { server: b.server, build: idsOf(b.server, userId) };
}

/**
 * Server A stores `userId`'s three chairs (revision 3), then never learns it is taken over: its
 * profile saves fail and it misses every message; its journal and backups work.
 */
export function savedThenUnaware(world: World, dataStore: HeadlessDataStore, userId: number) {
	const a = serverWithChanges(world, userId, 3, dataStore, "old", ({ systems }) => switchOffScheduledBackups(systems.backups));
	profileOn(a.server, userId).Save();
	waitUntil(() => journalOf(a.server).status().entriesTrimmed === 3, 30, "A's save to trim the journal");
	failProfileWrites(a.server);
	a.server.setDropsMessages(true);
	return a;
}

/**
 * Server A of savedThenUnaware journals a removal and a placement (revisions 4 and 5, durable).
 * Server B then takes the session over while it cannot read the journal: it loads revision 3 and
 * its journal waits to be read.
 */
export function takenOverWhileUnread(world: World, dataStore: HeadlessDataStore, userId: number) {
	const a = savedThenUnaware(world, dataStore, userId);
	a.acked.remove(a.server, userId, a.ids[0]);
	a.acked.place(a.server, userId, 3);
	const b = startTakingOver(world, dataStore);
	b.server.memoryStoreFaults().filter((request) => request.operation === "GetRangeAsync");
	b.server.memoryStoreFaults().setFailureRate(1, 4);
	const client = joinPlayer(world, b.server, userId, 240);
	return { a, acked: a.acked, b, client };
}

/**
 * Where takenOverWhileUnread leaves `userId`: A answered all five changes durable, B loaded
 * revision 3 and its journal waits to be read.
 */
export function expectTakenOverWhileUnread(acked: Acknowledged, b: HeadlessServer, userId: number) {
	expect(acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);
	expect(loaderOf(b).decisionOf(userId)?.revision).toBe(3);
	expect(journalOf(b).status().unreadPlayers).toBe(1);
}
