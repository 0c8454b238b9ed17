import { Service } from "@flamework/core";
import { HttpService, Players, Workspace } from "@rbxts/services";
import { AdminRoleService } from "server/admin/admin-role-service";
import { AnalyticsService } from "server/analytics/analytics-service";
import { BuildService, trackedPlacement } from "server/builds/build-service";
import { BuildJournalService } from "server/build-journal/build-journal-service";
import { PlacedObjectService } from "server/builds/placed-object-service";
import { PlacementIds } from "server/builds/placement-ids";
import { ConflictResolver } from "server/conflict-resolver/conflict-resolver";
import { BackupKind, BackupResult, ProfileRollback, RecoveryReport, RecoveryScope, RecoveryTarget } from "server/data-backup/backup-types";
import { BuildRecoveryService } from "server/data-backup/build-recovery-service";
import { DataBackupService } from "server/data-backup/data-backup-service";
import { ModerationService } from "server/moderation/moderation-service";
import { Events } from "server/network";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { StoredPlacement } from "server/player-data/player-data";
import { PlotService } from "server/plots/plot-service";
import { findItem } from "shared/catalog/catalog";
import { PlacementConfig, PlotConfig } from "shared/config/placement-config";
import { FootprintBox, footprintBoxInto, insidePlot, offsetBoxInto, isFiniteNumber, normalizeRotation, snapToGrid } from "shared/placement/footprint";
import { PlaceResult, Rejection, RemoveResult } from "shared/placement/placement-types";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";
import { KickReason, kickMessage } from "shared/kick-reason";
import { HealthReport, worstState } from "./health-report";
import { OperationsService } from "server/operations/operations-service";
import { SystemStatusSummary, SystemReport } from "server/operations/system-report";
import { EmergencyExit, EmergencyState } from "server/operations/emergency-mode";
import { PreflightReport } from "server/operations/preflight";
import { FleetEntry, FleetViewService } from "server/operations/fleet-view-service";
import { AdminAlert } from "shared/admin/admin-types";
import { CriticalSystemMap } from "./critical-system";
import { RestartResult } from "./system-registry";

/** The footprint on the plot, then in the world, while one placement is checked (the tracker copies it). */
const PLOT_BOX: FootprintBox = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };
const WORLD_BOX: FootprintBox = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };

function reject(reason: RejectionReason, rule?: string, retryAfterSeconds?: number): Rejection {
	return { success: false, reason, message: rejectionMessage(reason), rule, retryAfterSeconds };
}

/**
 * The coordinator every placement and removal goes through: validation, conflicts,
 * moderation, tracking, persistence, the world and analytics, in that order.
 */
@Service()
export class SystemManager {
	constructor(
		private readonly tracker: PlacementTracker,
		private readonly conflicts: ConflictResolver,
		private readonly moderation: ModerationService,
		private readonly analytics: AnalyticsService,
		private readonly builds: BuildService,
		private readonly objects: PlacedObjectService,
		private readonly plots: PlotService,
		private readonly backups: DataBackupService,
		private readonly recovery: BuildRecoveryService,
		private readonly journal: BuildJournalService,
		private readonly operations: OperationsService,
		private readonly fleet: FleetViewService,
		private readonly roles: AdminRoleService,
	) {
		this.systems = operations.registry.systems;
	}

	private readonly ids = new PlacementIds(HttpService.GenerateGUID(false));

	/** Every critical system by its spec name, e.g. `systems.memoryManager.generateMemoryReport()`. */
	readonly systems: CriticalSystemMap;

	/** The overall state and each critical system's, with reasons. */
	getSystemStatus(): SystemStatusSummary {
		return this.operations.getSystemStatus();
	}

	/** The spec's report: systemHealth, performanceMetrics and every system's own report. */
	generateSystemReport(): SystemReport {
		return this.operations.generateSystemReport();
	}

	/** Rebuilds one system from authoritative state; requests that need it get SystemRestarting meanwhile. */
	restartSystem(name: string): RestartResult {
		return this.operations.restartSystem(name);
	}

	/** Pauses building (EmergencyMode), takes an emergency backup, cleans up memory and alerts admins. */
	enterEmergencyMode(reason = "entered by an admin"): EmergencyState {
		return this.operations.enterEmergencyMode(reason);
	}

	exitEmergencyMode(): EmergencyExit {
		return this.operations.exitEmergencyMode();
	}

	/** The emergency in force, if one is. */
	emergencyState(): Readonly<EmergencyState> | undefined {
		return this.operations.emergency.state();
	}

	/** The spec's integration test on this live server (scratch user, plot spot and DataStore scope). */
	runPreflight(): PreflightReport {
		return this.operations.runPreflight();
	}

	/** The newest operations alerts, oldest first (what admins were sent). */
	recentAlerts(count?: number): AdminAlert[] {
		return this.operations.recentAlerts(count);
	}

	/** Every live server of the experience: job id, players, objects, state, memory, FPS, uptime. */
	getFleetStatus(): FleetEntry[] {
		return this.fleet.getFleetStatus();
	}

	/** The server's health: every system's state and the worst of them. */
	health(): HealthReport {
		const dataBackup = this.backups.status();
		const buildJournal = this.journal.status();
		return {
			overall: worstState([dataBackup.health, buildJournal.health]),
			players: Players.GetPlayers().size(),
			objects: this.tracker.totalObjects(),
			dataBackup,
			buildJournal,
		};
	}

	/** Backs up now (incremental unless `kind` says full). */
	forceBackup(kind: BackupKind = "incremental"): BackupResult {
		return this.backups.forceBackup(kind);
	}

	/** A full backup at top priority, for shutdowns and before maintenance. */
	emergencyBackup(): BackupResult {
		return this.backups.emergencyBackup();
	}

	/** Rebuilds builds from backups ("LATEST" or an id) and applies them, or only previews them. */
	recoverFromBackup(target: RecoveryTarget, scope: RecoveryScope, options: { preview?: boolean } = {}): RecoveryReport {
		return this.recovery.recoverFromBackup(target, scope, options.preview ?? false);
	}

	/** Rolls a player's build back to their profile as saved at `unixSeconds`; only roles allowed `rollback` may. */
	rollbackProfile(requester: Player, userId: number, unixSeconds: number): ProfileRollback {
		if (!this.roles.mayRun(requester, "rollback")) return { success: false, message: "only admins can roll back a profile" };
		if (unixSeconds !== unixSeconds || unixSeconds <= 0 || unixSeconds === math.huge) return { success: false, message: "the time must be Unix seconds" };
		return this.recovery.rollbackProfile(userId, unixSeconds);
	}

	/** Takes an emergency backup, then removes every player with the maintenance message. */
	maintenanceShutdown(): BackupResult {
		const backup = this.backups.emergencyBackup();
		// "Your build is saved" only when the backup says so.
		const message = kickMessage(backup.success ? KickReason.Maintenance : KickReason.MaintenanceBackupFailed);
		for (const player of Players.GetPlayers()) player.Kick(message);
		return backup;
	}

	/** Places `itemId` for `player` at a plot-relative `position`, turned `rotation` degrees. */
	placeObject(player: Player, itemId: string, position: Vector3, rotation: number): PlaceResult {
		const started = os.clock();
		const userId = player.UserId;
		const refusal = this.operations.refusal();
		const result = refusal !== undefined ? reject(refusal) : this.tryPlace(player, userId, itemId, position, rotation);
		this.analytics.recordResponseTime(os.clock() - started);
		if (result.success) this.analytics.recordPlacement(userId);
		else this.analytics.recordRejection(userId, result.reason);
		return result;
	}

	/** Removes a placement; only its owner or a moderator (or stronger role) may. */
	removeObject(player: Player, placementId: string): RemoveResult {
		const started = os.clock();
		const refusal = this.operations.refusal();
		const result = refusal !== undefined ? reject(refusal) : this.tryRemove(player, placementId);
		this.analytics.recordResponseTime(os.clock() - started);
		if (result.success) this.analytics.recordRemoval(player.UserId);
		else this.analytics.recordRejection(player.UserId, result.reason);
		return result;
	}

	/** Every engine value it needs (the user id, the position's components, the time) is read once. */
	private tryPlace(player: Player, userId: number, itemId: string, rawPosition: Vector3, rawRotation: number): PlaceResult {
		const item = findItem(itemId);
		if (item === undefined) return reject(RejectionReason.UnknownItem);
		const rawX = rawPosition.X;
		const rawY = rawPosition.Y;
		const rawZ = rawPosition.Z;
		if (!isFiniteNumber(rawX) || !isFiniteNumber(rawY) || !isFiniteNumber(rawZ)) return reject(RejectionReason.InvalidNumber);
		const rotation = normalizeRotation(rawRotation, PlacementConfig.rotationStep);
		if (rotation === undefined) return reject(RejectionReason.InvalidRotation);
		const plot = this.plots.plotOfOwner(userId);
		if (plot === undefined) return reject(RejectionReason.NoPlot);
		if (!this.builds.isLoaded(userId)) return reject(RejectionReason.DataNotLoaded);
		const journalRefusal = this.journal.changeRefusal(userId);
		if (journalRefusal !== undefined) return reject(journalRefusal);
		const grid = PlacementConfig.gridSize;
		const x = snapToGrid(rawX, grid);
		const y = snapToGrid(rawY, grid);
		const z = snapToGrid(rawZ, grid);
		const footprint = item.footprint;
		const plotBox = footprintBoxInto(x, z, footprint, rotation, PLOT_BOX);
		if (!insidePlot(plotBox, PlotConfig.size) || y < 0) return reject(RejectionReason.OutsidePlot);
		if (y + footprint.Y > PlacementConfig.maxHeight) return reject(RejectionReason.TooHigh);
		if (this.tracker.countOf(userId, itemId) >= item.perPlayerCap) return reject(RejectionReason.ItemCap);

		const now = Workspace.GetServerTimeNow();
		const stored: StoredPlacement = { id: this.ids.next(), itemId, x, y, z, rotation, placedAt: math.floor(now) };
		const worldBox = offsetBoxInto(plotBox, plot.originX, plot.originZ, WORLD_BOX);
		const spaceProblem = this.conflicts.checkSpace(worldBox);
		if (spaceProblem !== undefined) return reject(spaceProblem);
		if (!this.builds.canStore(userId, stored, true)) return reject(RejectionReason.DataLimit);

		// The base position on the world's X/Z plane (the footprint's centre).
		const verdict = this.moderation.checkPlacement(player, userId, itemId, plot.originX + x, plot.originZ + z, now);
		if (!verdict.allowed) {
			if (verdict.cooldown) return reject(RejectionReason.Cooldown, verdict.rule, math.ceil(verdict.remainingSeconds));
			return reject(RejectionReason.Moderation, verdict.rule);
		}

		const tracked = trackedPlacement(plot, userId, stored);
		this.tracker.add(tracked, worldBox);
		this.conflicts.notePlaced(stored.id);
		const revision = this.builds.store(userId, stored);
		this.moderation.recordPlacement(userId, now);
		this.objects.spawn(plot, item, tracked);
		// Only the owner hears of it here; others get it by streaming (ObjectStreamingService). The
		// tracked placement goes as it is: its one field past the snapshot (the world position, a
		// Vector3 on the wire) costs less than a snapshot table made on every placement.
		Events.objectPlaced.fire(player, tracked);
		// Journaled before the player is answered: the answer says whether a crash now would lose it.
		const saved = this.journal.record(userId, revision, { kind: "place", placement: stored });
		return { success: true, placementId: stored.id, saved };
	}

	private tryRemove(player: Player, placementId: string): RemoveResult {
		const decision = this.conflicts.checkRemoval(player.UserId, placementId, this.roles.mayRemoveOthersObjects(player));
		if (!typeIs(decision, "table")) return reject(decision);
		const journalRefusal = this.journal.changeRefusal(decision.ownerId);
		if (journalRefusal !== undefined) return reject(journalRefusal);
		this.tracker.remove(placementId);
		const revision = this.builds.forget(decision.ownerId, placementId);
		this.objects.despawn(placementId);
		const owner = Players.GetPlayerByUserId(decision.ownerId);
		if (owner !== undefined) Events.objectRemoved.fire(owner, placementId, decision.ownerId);
		if (revision === undefined) return { success: true };
		const saved = this.journal.record(decision.ownerId, revision, { kind: "remove", placementId });
		return { success: true, saved };
	}
}
