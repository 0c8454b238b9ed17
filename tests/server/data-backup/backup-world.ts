import type { BuildLoadService } from "server/build-loading/build-load-service";
import type { BackupArchive } from "server/data-backup/backup-archive";
import type { BuildRecoveryService } from "server/data-backup/build-recovery-service";
import type { DataBackupService } from "server/data-backup/data-backup-service";
import type { BackupManifest, IndexBucket, IndexRecord } from "server/data-backup/backup-types";
import { bucketOf, indexKey, shardOf } from "server/data-backup/backup-index";
import { BackupLimits } from "shared/config/backup-config";
import type { FleetViewService } from "server/operations/fleet-view-service";
import type { StoredPlacement } from "server/player-data/player-data";
import type { PlayerDataService, PlayerProfile } from "server/player-data/player-data-service";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { PERMISSIVE, ServerSystems, systemsOf } from "../placement/placement-world";

const ROOT = "ServerScriptService.TS";

export interface BackupSystems extends ServerSystems {
	readonly backups: DataBackupService;
	readonly recovery: BuildRecoveryService;
	readonly playerData: PlayerDataService;
	readonly archive: BackupArchive;
}

/** A fault filter for every write to the backups' DataStore; `suffix` is "-Studio" on a Studio server (see DataStoreNames). */
export function backupWrites(suffix = ""): (request: HeadlessDataStoreRequest) => boolean {
	return (request) => request.name === `${DataStoreNames.backups}${suffix}` && request.isWrite;
}

/** Makes every backup write of `server` take `seconds` from now on; returns its faults (to add more or clear them). */
export function slowBackupWrites(server: HeadlessServer, seconds: number, suffix = "") {
	const faults = server.dataStoreFaults();
	faults.filter(backupWrites(suffix));
	faults.setLatency(seconds);
	return faults;
}

/** Seconds until the index bucket open now closes. */
export function untilBucketCloses(): number {
	return BackupLimits.indexBucketSeconds - (os.time() % BackupLimits.indexBucketSeconds);
}

export function backupSystemsOf(server: HeadlessServer): BackupSystems {
	return {
		...systemsOf(server),
		backups: singletonOf(server, `${ROOT}.data-backup.data-backup-service`, "DataBackupService"),
		recovery: singletonOf(server, `${ROOT}.data-backup.build-recovery-service`, "BuildRecoveryService"),
		playerData: singletonOf(server, `${ROOT}.player-data.player-data-service`, "PlayerDataService"),
		archive: singletonOf(server, `${ROOT}.data-backup.backup-archive`, "BackupArchive"),
	};
}

/** The server's build loader: how it decided each player's build (`decisionOf`). */
export function loaderOf(server: HeadlessServer): BuildLoadService {
	return singletonOf(server, `${ROOT}.build-loading.build-load-service`, "BuildLoadService");
}

/** A game server with permissive moderation; backups keep their default schedule unless told otherwise. */
export function startGameServer(world: World, dataStore: HeadlessDataStore, name?: string) {
	const server = world.startServer({ dataStore, name });
	const systems = backupSystemsOf(server);
	systems.moderation.configure(PERMISSIVE);
	// Specs on this world compare the experience's MemoryStore usage with the journal's own.
	singletonOf<FleetViewService>(server, "ServerScriptService.TS.operations.fleet-view-service", "FleetViewService").stop();
	return { server, systems };
}

/** Switches the server's scheduled backups off: from now on they run only when forced. */
export function switchOffScheduledBackups(backups: DataBackupService) {
	backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
}

/** A game server as startGameServer starts it, whose backups run only when forced. */
export function startWithoutScheduledBackups(world: World, dataStore: HeadlessDataStore, name?: string) {
	const started = startGameServer(world, dataStore, name);
	switchOffScheduledBackups(started.systems.backups);
	return started;
}

/** Joins a player (no client scripts needed) and waits for their build to load. */
export function joinPlayer(world: World, server: HeadlessServer, userId: number, timeout = 60): HeadlessClient {
	const client = world.join(server, { userId, name: `Builder${userId}`, runScripts: false });
	const { builds } = systemsOf(server);
	waitUntil(() => builds.isLoaded(userId), timeout, `player ${userId}'s build to load`);
	return client;
}

export function playerOn(server: HeadlessServer, userId: number): Player {
	const player = server.game.GetService("Players").GetPlayerByUserId(userId);
	assert(player !== undefined, `player ${userId} is not on ${server.name}`);
	return player;
}

/** Whether `userId` is on `server` with their profile loaded there: their session has started. */
export function sessionStartedOn(server: HeadlessServer, userId: number): boolean {
	const player = server.game.GetService("Players").GetPlayerByUserId(userId);
	return player !== undefined && backupSystemsOf(server).playerData.getProfile(player) !== undefined;
}

export function profileOn(server: HeadlessServer, userId: number): PlayerProfile {
	const profile = backupSystemsOf(server).playerData.getProfile(playerOn(server, userId));
	assert(profile !== undefined, `player ${userId} has no profile on ${server.name}`);
	return profile;
}

/** Places `count` chairs in a grid on the player's plot, through SystemManager; returns their ids. */
export function placeChairs(server: HeadlessServer, userId: number, count: number, offset = 0): string[] {
	const { systems } = systemsOf(server);
	const player = playerOn(server, userId);
	const ids: string[] = [];
	for (let index = offset; index < offset + count; index++) {
		const position = new Vector3(2 + (index % 20) * 4, 0, 2 + math.floor(index / 20) * 4);
		const result = systems.placeObject(player, "chair", position, (index % 4) * 90);
		assert(result.success, `chair ${index} was refused: ${result.success ? "" : result.reason}`);
		ids.push(result.placementId);
	}
	return ids;
}

/** The ids of the player's build as the DataStore holds it. */
export function idsOf(server: HeadlessServer, userId: number): string[] {
	return storedBuild(server, userId).map((placement) => placement.id);
}

/** `userId` joins a fresh game server of `dataStore` and their build loads: that server, and the ids it loaded. */
export function loadOnFreshServer(world: World, dataStore: HeadlessDataStore, userId: number, name = "after") {
	const fresh = startGameServer(world, dataStore, name);
	joinPlayer(world, fresh.server, userId, 240);
	return { ...fresh, build: idsOf(fresh.server, userId) };
}

/** What else failProfileWrites lets through or fails. */
export interface ProfileWriteFailures {
	/** Profile writes that still land first (the session's lock, say). */
	readonly allowed?: number;
	/** Profile writes fail only once this holds (the session has started, say); the ones before land. */
	readonly from?: () => boolean;
	/** Other requests that fail too. */
	readonly alsoFailing?: (request: HeadlessDataStoreRequest) => boolean;
}

/**
 * Every profile write of `server` fails from now on (or from when `from` holds) but the first
 * `allowed`, and so does every request `alsoFailing` picks (its DataStore faults limited to
 * them); returns those faults.
 */
export function failProfileWrites(server: HeadlessServer, { allowed = 0, from, alsoFailing }: ProfileWriteFailures = {}) {
	let left = allowed;
	const faults = server.dataStoreFaults();
	faults.filter((request) => {
		if (request.name !== DataStoreNames.playerData || !request.isWrite) return alsoFailing !== undefined && alsoFailing(request);
		if (from !== undefined && !from()) return false;
		left -= 1;
		return left < 0;
	});
	faults.setFailureRate(1);
	return faults;
}

/** The build revision of `userId`'s profile as stored in the DataStore (0 when none is stored). */
export function storedProfileRevision(server: HeadlessServer, userId: number): number {
	const [saved] = server.game
		.GetService("DataStoreService")
		.GetDataStore(DataStoreNames.playerData)
		.GetAsync<{ Data: { buildRevision: number } }>(playerProfileKey(userId));
	return saved?.Data.buildRevision ?? 0;
}

/** The player's stored build, sorted by id, as plain copies. */
export function storedBuild(server: HeadlessServer, userId: number): StoredPlacement[] {
	const placements = profileOn(server, userId).Data.placements.map((placement) => ({ ...placement }));
	placements.sort((a, b) => a.id < b.id);
	return placements;
}

/** The build the server tracks for the player, as sorted ids. */
export function trackedIds(server: HeadlessServer, userId: number): string[] {
	const ids: string[] = [];
	for (const [id] of systemsOf(server).tracker.ownedBy(userId)) ids.push(id);
	ids.sort();
	return ids;
}

export function backupStore(server: HeadlessServer, scope: string): DataStore {
	return server.game.GetService("DataStoreService").GetDataStore(DataStoreNames.backups, scope);
}

export function manifestOf(server: HeadlessServer): BackupManifest | undefined {
	const setId = backupSystemsOf(server).backups.status().setId;
	return backupStore(server, setId).GetAsync<BackupManifest>("manifest")[0];
}

/** The record a set wrote into the shared index for the current time bucket. */
export function indexRecordOf(server: HeadlessServer, setId: string): IndexRecord | undefined {
	const key = indexKey(bucketOf(os.time(), BackupLimits.indexBucketSeconds), shardOf(setId, BackupLimits.indexShards));
	return backupStore(server, "index").GetAsync<IndexBucket>(key)[0]?.sets[setId];
}

/**
 * Uses up this server's DataStore budget of `kind` down to the backups' reserve, with requests to
 * a store no fault touches (as a busy game's other systems would); reads use distinct keys, as a
 * cached read takes no budget.
 */
function drainBudget(server: HeadlessServer, kind: "SetIncrementAsync" | "GetAsync") {
	const reserve = BackupLimits.reserveFloor + BackupLimits.reservePerProfile;
	const drain = server.game.GetService("DataStoreService").GetDataStore("Drain");
	let key = 0;
	while (server.requestBudget(kind) > reserve - 2) {
		key += 1;
		if (kind === "GetAsync") drain.GetAsync(`r${key}`);
		else drain.SetAsync(`k${key}`, key);
	}
}

/** Uses up this server's DataStore write budget down to the backups' reserve. */
export function drainWriteBudget(server: HeadlessServer) {
	drainBudget(server, "SetIncrementAsync");
}

/** Uses up this server's DataStore read budget down to the backups' reserve. */
export function drainReadBudget(server: HeadlessServer) {
	drainBudget(server, "GetAsync");
}
