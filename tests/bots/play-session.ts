import { Modding } from "@flamework/core";
import { HttpService, Players } from "@rbxts/services";
import type { PlacementController } from "client/placement/placement-controller";
import type { AnalyticsService } from "server/analytics/analytics-service";
import { BotStats } from "./bot-stats";
import { runBuilder } from "./builder-bot";
import { runGriefer } from "./griefer-bot";

/**
 * Glue the headless play session uses: `startBot` runs inside a bot's client peer, `report`
 * inside the server peer (each resolves that peer's own Flamework singletons).
 */
export function startBot(kind: BotStats["kind"], name: string, seed: number, controllerModule: ModuleScript): BotStats {
	// The running controller is the copy in the player's PlayerScripts, not StarterPlayerScripts'.
	const exported = require(controllerModule) as { PlacementController: new (...args: never[]) => PlacementController };
	const controller = Modding.resolveSingleton(exported.PlacementController);
	return kind === "builder" ? runBuilder(controller, name, seed) : runGriefer(controller, name, seed);
}

export interface SessionReport {
	objects: number;
	placements: number;
	removals: number;
	rejectionsByReason: Record<string, number>;
	responseTime: { samples: number; average: number; p50: number; p95: number; p99: number };
}

/** `analyticsModule` is the server's analytics-service module (tests cannot import server code). */
export function report(analyticsModule: ModuleScript): SessionReport {
	const exported = require(analyticsModule) as { AnalyticsService: new (...args: never[]) => AnalyticsService };
	const analytics = Modding.resolveSingleton(exported.AnalyticsService).report();
	const rejectionsByReason: Record<string, number> = {};
	for (const [reason, count] of pairs(analytics.rejectionsByReason)) rejectionsByReason[reason] = count as number;
	return {
		objects: analytics.totalObjects,
		placements: analytics.placements,
		removals: analytics.removals,
		rejectionsByReason,
		responseTime: { ...analytics.responseTime },
	};
}

interface StoredBuildView {
	readonly placements: { id: string; itemId: string; x: number; y: number; z: number; rotation: number; placedAt: number }[];
}

/** A build as sorted JSON, so two builds compare as text. */
function canonical(placements: StoredBuildView["placements"]): string {
	const copy = placements.map((placement) => [placement.id, placement.itemId, placement.x, placement.y, placement.z, placement.rotation, placement.placedAt]);
	copy.sort((a, b) => (a[0] as string) < (b[0] as string));
	return HttpService.JSONEncode(copy);
}

function resolve<T extends object>(module: ModuleScript, exportName: string): T {
	const exported = require(module) as Record<string, new (...args: never[]) => T>;
	return Modding.resolveSingleton(exported[exportName]);
}

interface ProfileSource {
	loadedProfiles(): ReadonlyMap<Player, { Data: StoredBuildView }>;
}

/** One player's build as canonical JSON, or undefined while their profile is not loaded. */
export function loadedBuildOf(playerDataModule: ModuleScript, userId: number): string | undefined {
	for (const [player, profile] of resolve<ProfileSource>(playerDataModule, "PlayerDataService").loadedProfiles()) {
		if (player.UserId === userId) return canonical(profile.Data.placements);
	}
	return undefined;
}

/** Every loaded player's build on the server, as canonical JSON by user id. */
export function loadedBuilds(playerDataModule: ModuleScript): Record<string, string> {
	const builds: Record<string, string> = {};
	for (const [player, profile] of resolve<ProfileSource>(playerDataModule, "PlayerDataService").loadedProfiles()) {
		builds[tostring(player.UserId)] = canonical(profile.Data.placements);
	}
	return builds;
}

export interface BackupSummary {
	taken: number;
	failed: number;
	retries: number;
	backups: string[];
	verifiedPlayers: number;
	verifiedObjects: number;
	problems: string[];
}

interface BackupSource {
	forceBackup(kind: "full" | "incremental"): { success: boolean; error?: string };
	status(): { backupsTaken: number; failedBackups: number; retries: number; history: readonly { id?: string; kind: string; players: number; size: number; chunks: number; success: boolean }[] };
}

interface ArchiveSource {
	findBuild(userId: number, target: string, tally: { requests: number; retries: number }): { build?: StoredBuildView; skipped: { id: string; problem: string }[] };
}

/** Takes a full backup, then rebuilds every loaded build from the backups and compares it with the profile. */
export function verifyBackups(backupModule: ModuleScript, archiveModule: ModuleScript, playerDataModule: ModuleScript): BackupSummary {
	const backups = resolve<BackupSource>(backupModule, "DataBackupService");
	const archive = resolve<ArchiveSource>(archiveModule, "BackupArchive");
	const problems: string[] = [];
	const full = backups.forceBackup("full");
	if (!full.success) problems.push(`the final full backup failed: ${full.error}`);
	let verifiedPlayers = 0;
	let verifiedObjects = 0;
	for (const [player, profile] of resolve<ProfileSource>(playerDataModule, "PlayerDataService").loadedProfiles()) {
		const found = archive.findBuild(player.UserId, "LATEST", { requests: 0, retries: 0 });
		if (found.build === undefined) problems.push(`${player.Name}: no backup found`);
		else if (canonical(found.build.placements) !== canonical(profile.Data.placements)) problems.push(`${player.Name}: the backup differs from the profile`);
		else {
			verifiedPlayers += 1;
			verifiedObjects += found.build.placements.size();
		}
	}
	const status = backups.status();
	const listed: string[] = [];
	for (const result of status.history) {
		if (result.id !== undefined) listed.push(`${result.id} ${result.kind} players=${result.players} ${result.size} B in ${result.chunks} chunk(s)`);
		else if (!result.success) listed.push(`(failed ${result.kind})`);
	}
	return { taken: status.backupsTaken, failed: status.failedBackups, retries: status.retries, backups: listed, verifiedPlayers, verifiedObjects, problems };
}

/** What one bot's client holds from streaming, and its pools (runs in the bot's client peer). */
export interface ClientStreamingFigures {
	objectsHeld: number;
	chunksHeld: number;
	bytesReceived: number;
	outOfStep: number;
	inconsistencies: number;
	poolSize: number;
	poolInUse: number;
	poolIdle: number;
	poolHits: number;
	poolMisses: number;
	leaks: number;
}

interface ClientStreamingSource {
	report(): { objectsHeld: number; chunksHeld: number; bytesReceived: number; outOfStep: number; inconsistencies: number };
}

interface PoolSource {
	report(): { totalSize: number; totalInUse: number; totalIdle: number; hits: number; misses: number; leaks: unknown[] };
}

export function clientStreamingFigures(streamingModule: ModuleScript, poolingModule: ModuleScript): ClientStreamingFigures {
	const streaming = resolve<ClientStreamingSource>(streamingModule, "ObjectStreamingController").report();
	const pools = resolve<PoolSource>(poolingModule, "ObjectPoolingController").report();
	return {
		objectsHeld: streaming.objectsHeld,
		chunksHeld: streaming.chunksHeld,
		bytesReceived: streaming.bytesReceived,
		outOfStep: streaming.outOfStep,
		inconsistencies: streaming.inconsistencies,
		poolSize: pools.totalSize,
		poolInUse: pools.totalInUse,
		poolIdle: pools.totalIdle,
		poolHits: pools.hits,
		poolMisses: pools.misses,
		leaks: pools.leaks.size(),
	};
}

interface StreamingSource {
	viewerReport(player: Player): { framesToOwnPlot: number } | undefined;
	status(): { objects: number; snapshotsSent: number; deltasSent: number; unloadsSent: number; bytesSent: number; objectsStreamed: number; framesOverBudget: number; frameMilliseconds: { p50: number; p99: number } };
}

/** The server's streaming figures (runs in the server peer). */
export function streamingStatus(streamingModule: ModuleScript) {
	const service = resolve<StreamingSource>(streamingModule, "ObjectStreamingService");
	const status = service.status();
	const framesToOwnPlot: Record<string, number> = {};
	for (const player of Players.GetPlayers()) framesToOwnPlot[player.Name] = service.viewerReport(player)?.framesToOwnPlot ?? -1;
	return {
		framesToOwnPlot,
		objects: status.objects,
		snapshotsSent: status.snapshotsSent,
		deltasSent: status.deltasSent,
		unloadsSent: status.unloadsSent,
		bytesSent: status.bytesSent,
		objectsStreamed: status.objectsStreamed,
		framesOverBudget: status.framesOverBudget,
		p50: status.frameMilliseconds.p50,
		p99: status.frameMilliseconds.p99,
	};
}
export interface JournalSummary {
	written: number;
	replayed: number;
	trimmed: number;
	earlySaves: number;
	pendingChanges: number;
	bytesUsed: number;
	memoryQuotaBytes: number;
	requestUnitsLastMinute: number;
	requestUnitsPerMinute: number;
	/** Builds a crash right now would restore exactly (last saved profile + journal), and the entries that would replay. */
	crashSafePlayers: number;
	replayableEntries: number;
	problems: string[];
}

interface JournalView {
	revision: number;
}

interface JournalSource {
	status(): {
		entriesWritten: number;
		entriesReplayed: number;
		entriesTrimmed: number;
		earlySaves: number;
		pendingChanges: number;
		bytesUsed: number;
		memoryQuotaBytes: number;
		requestUnitsLastMinute: number;
		requestUnitsPerMinute: number;
	};
	pendingChanges(userId: number, afterRevision: number): JournalView[];
}

interface SavedProfileSource {
	loadedProfiles(): ReadonlyMap<
		Player,
		{ Data: StoredBuildView & { buildRevision: number }; LastSavedData: StoredBuildView & { buildRevision: number } }
	>;
}

/**
 * The journal's figures, and for every loaded player what a crash right now would bring back:
 * their profile as last saved with the journal replayed on top must equal the live build.
 */
interface BackupLookup {
	newerBuildThan(
		userId: number,
		revision: number,
		since: number,
		tally: { requests: number; retries: number },
	): { placements: StoredBuildView["placements"]; revision: number } | undefined;
}

export function verifyJournal(
	journalModule: ModuleScript,
	journalEntryModule: ModuleScript,
	playerDataModule: ModuleScript,
	backupArchiveModule: ModuleScript,
): JournalSummary {
	const journal = resolve<JournalSource>(journalModule, "BuildJournalService");
	const archive = resolve<BackupLookup>(backupArchiveModule, "BackupArchive");
	const { applyJournal } = require(journalEntryModule) as {
		applyJournal: (placements: StoredBuildView["placements"], entries: JournalView[]) => StoredBuildView["placements"];
	};
	const problems: string[] = [];
	let crashSafePlayers = 0;
	let replayableEntries = 0;
	for (const [player, profile] of resolve<SavedProfileSource>(playerDataModule, "PlayerDataService").loadedProfiles()) {
		// What the next server would load after a crash now: the saved profile, or a newer backup,
		// with the journal's entries after it on top (the journal is trimmed once a backup holds them).
		const saved = profile.LastSavedData;
		const [found, newer] = pcall(() => archive.newerBuildThan(player.UserId, saved.buildRevision, 0, { requests: 0, retries: 0 }));
		if (!found) {
			problems.push(`${player.Name}: the backups could not be read`);
			continue;
		}
		const base = newer ?? { placements: saved.placements, revision: saved.buildRevision };
		const [ok, entries] = pcall(() => journal.pendingChanges(player.UserId, base.revision));
		if (!ok) {
			problems.push(`${player.Name}: the build journal could not be read`);
			continue;
		}
		const replayed = applyJournal(base.placements, entries);
		if (canonical(replayed) !== canonical(profile.Data.placements)) {
			problems.push(`${player.Name}: the saved profile, newer backups and the journal would not restore the live build`);
		} else {
			crashSafePlayers += 1;
			replayableEntries += entries.size();
		}
	}
	const status = journal.status();
	return {
		written: status.entriesWritten,
		replayed: status.entriesReplayed,
		trimmed: status.entriesTrimmed,
		earlySaves: status.earlySaves,
		pendingChanges: status.pendingChanges,
		bytesUsed: status.bytesUsed,
		memoryQuotaBytes: status.memoryQuotaBytes,
		requestUnitsLastMinute: status.requestUnitsLastMinute,
		requestUnitsPerMinute: status.requestUnitsPerMinute,
		crashSafePlayers,
		replayableEntries,
		problems,
	};
}

interface DrillSystems {
	placeObject(player: Player, itemId: string, position: Vector3, rotation: number): { success: boolean; placementId?: string; saved?: string };
	removeObject(player: Player, placementId: string): { success: boolean; saved?: string };
}

export interface DrillChanges {
	changes: number;
	durable: number;
}

/** The crash drill's building: `count` chairs placed by the player (within the public preset's 5 a minute), every third one removed again. */
export function drillChanges(systemManagerModule: ModuleScript, userId: number, count: number): DrillChanges {
	const systems = resolve<DrillSystems>(systemManagerModule, "SystemManager");
	const player = game.GetService("Players").GetPlayerByUserId(userId);
	assert(player !== undefined, `the drill player ${userId} is not on this server`);
	let changes = 0;
	let durable = 0;
	for (let index = 0; index < count; index++) {
		const placed = systems.placeObject(player, "chair", new Vector3(2 + index * 4, 0, 2), 0);
		if (!placed.success) continue;
		changes += 1;
		if (placed.saved === "durable") durable += 1;
		if (index % 3 === 2 && placed.placementId !== undefined) {
			const removed = systems.removeObject(player, placed.placementId);
			if (!removed.success) continue;
			changes += 1;
			if (removed.saved === "durable") durable += 1;
		}
	}
	return { changes, durable };
}

/** Journal entries this server replayed when players loaded, and those it trimmed once saves covered them. */
export function journalCounts(journalModule: ModuleScript): { replayed: number; trimmed: number } {
	const status = resolve<JournalSource>(journalModule, "BuildJournalService").status();
	return { replayed: status.entriesReplayed, trimmed: status.entriesTrimmed };
}

/** The operations figures the session's status lines and success criteria show. */
export interface OperationsSnapshot {
	overall: string;
	/** "name STATE (reason)" for every system not OPERATIONAL. */
	notOperational: string[];
	systems: number;
	memoryMb: number;
	peakMemoryMb: number;
	fps: number;
	frameP99: number;
	averageResponse: number;
}

interface OperationsView {
	generateSystemReport(): {
		systemHealth: { overall: string; systems: Record<string, { state: string; reason: string }> };
		performanceMetrics: { serverFps: number; frameTimeP99: number; averageResponseTime: number };
		systemReports: { memoryManager?: { currentMemory: number; peakMemory: number } };
	};
}

/** The server's own report, through SystemManager (the same figures an admin reads). */
export function operations(systemManagerModule: ModuleScript): OperationsSnapshot {
	const report = resolve<OperationsView>(systemManagerModule, "SystemManager").generateSystemReport();
	const notOperational: string[] = [];
	let systems = 0;
	for (const [name, status] of pairs(report.systemHealth.systems)) {
		systems += 1;
		if (status.state !== "OPERATIONAL") notOperational.push(`${name} ${status.state} (${status.reason})`);
	}
	const memory = report.systemReports.memoryManager;
	return {
		overall: report.systemHealth.overall,
		notOperational,
		systems,
		memoryMb: memory?.currentMemory ?? 0,
		peakMemoryMb: memory?.peakMemory ?? 0,
		fps: report.performanceMetrics.serverFps,
		frameP99: report.performanceMetrics.frameTimeP99,
		averageResponse: report.performanceMetrics.averageResponseTime,
	};
}

/** How many objects a bot's client shows as its own (runs in the bot's client peer). */
export function heldObjects(controllerModule: ModuleScript): number {
	const exported = require(controllerModule) as { PlacementController: new (...args: never[]) => PlacementController };
	return Modding.resolveSingleton(exported.PlacementController).ownObjects().size();
}
