import { Players } from "@rbxts/services";
import { BackupResult } from "server/data-backup/backup-types";
import { ModerationService } from "server/moderation/moderation-service";
import { Events } from "server/network";
import { SystemManager } from "server/system-manager/system-manager";
import { AdminCommand, AdminRefusal, AdminResponse, BackupCommandResult, refusalMessage } from "shared/admin/admin-types";
import { emergencyBackupText } from "shared/admin/format-response";
import { AdminConfig, FleetConfig } from "shared/config/admin-config";
import { KickReason, kickMessage } from "shared/kick-reason";
import { AdminOperations } from "./admin-operations";
import { AuditService } from "./audit-service";
import { sentToEveryServer } from "./command-progress";
import { LateAnswer } from "./fleet-follow-up";
import { countText } from "shared/text/count-text";

/** Commands that may run on every server at once. */
export type FleetCommand = Extract<AdminCommand, { scope: unknown }>;

function refused(refusal: AdminRefusal, message?: string): AdminResponse {
	return { ok: false, refusal, message: message ?? refusalMessage(refusal) };
}

function waiting(what: string): AdminResponse {
	return refused(AdminRefusal.Unavailable, `${what} comes with the operations system, which this server does not have yet`);
}

function backupResult(result: BackupResult): BackupCommandResult {
	return { kind: result.kind, backupId: result.id, players: result.players, placements: result.placements, size: result.size };
}

/** A one-line account of a response, for the audit and for other servers' answer tables. */
export function summarize(response: AdminResponse): string {
	if (!response.ok) return `${response.refusal}: ${response.message}`;
	switch (response.name) {
		case "forcebackup":
			return response.result.backupId === undefined ? "nothing to back up" : `backup ${response.result.backupId} (${countText(response.result.players, "player")})`;
		case "maintenance":
			return `backup ${response.result.backupSucceeded ? "ok" : "FAILED"}, kicking ${countText(response.result.playersToKick, "player")}`;
		case "announce":
			return `shown to ${countText(response.result.delivered, "player")}`;
		case "emergency": {
			const backup = response.result.backup;
			const state = response.result.active ? "emergency mode on" : "emergency mode off";
			if (backup === undefined) return state;
			return `${state}, ${emergencyBackupText(backup)}`;
		}
		default:
			return "ok";
	}
}

/** Runs one validated, allowed command on this server and answers with its typed result. */
export class CommandRunner {
	constructor(
		private readonly systems: SystemManager,
		private readonly operations: AdminOperations,
		private readonly moderation: ModerationService,
		private readonly audit: AuditService,
		/** Sends a command to every server and collects the per-server table (servers under way follow in `late`). */
		private readonly sendToAll: (command: FleetCommand, caller: Player, late?: LateAnswer) => AdminResponse,
	) {}

	/** Runs `command`; when it goes to every server, the final answers of servers listed under way go to `late`. */
	run(caller: Player, command: AdminCommand, late?: LateAnswer): AdminResponse {
		if (sentToEveryServer(command)) return this.sendToAll(command, caller, late);
		const operations = this.operations;
		switch (command.name) {
			case "systemstatus":
				return { ok: true, name: command.name, result: operations.systemStatus() };
			case "systemreport":
				return operations.systemReport ? { ok: true, name: command.name, result: operations.systemReport() } : waiting("The system report");
			case "forcecleanup":
				return operations.forceCleanup ? { ok: true, name: command.name, result: operations.forceCleanup() } : waiting("Memory cleanup");
			case "restartsystem": {
				if (!operations.restartSystem) return waiting("Restarting a system");
				const outcome = operations.restartSystem(command.system);
				return typeIs(outcome, "string") ? refused(AdminRefusal.Failed, outcome) : { ok: true, name: command.name, result: outcome };
			}
			case "fleet":
				return operations.fleetStatus ? { ok: true, name: command.name, result: operations.fleetStatus() } : waiting("The fleet view");
			case "preflight":
				return operations.preflight ? { ok: true, name: command.name, result: operations.preflight() } : waiting("Preflight");
			case "alerts":
				return operations.alerts ? { ok: true, name: command.name, result: operations.alerts() } : waiting("The alert buffer");
			case "modlog":
				return { ok: true, name: command.name, result: this.moderation.readLog(command.userId) };
			case "audit":
				return { ok: true, name: command.name, result: this.audit.read(command.count ?? 20) };
			case "recover": {
				const scope = command.userId === undefined ? ({ kind: "everyone" } as const) : ({ kind: "player", userId: command.userId } as const);
				const report = this.systems.recoverFromBackup(command.target, scope, { preview: command.preview });
				return {
					ok: true,
					name: command.name,
					result: {
						target: report.target,
						preview: report.preview,
						players: report.players.map((player) => ({
							userId: player.userId,
							status: player.status,
							usedBackupId: player.usedBackupId,
							added: player.added,
							removed: player.removed,
							objectsAfter: player.objectsAfter,
							message: player.message,
						})),
					},
				};
			}
			case "rollback": {
				const outcome = this.systems.rollbackProfile(caller, command.userId, command.unixTime);
				if (!outcome.success) return refused(AdminRefusal.Failed, outcome.message);
				return {
					ok: true,
					name: command.name,
					result: { userId: command.userId, added: outcome.added, removed: outcome.removed, objectsAfter: outcome.objectsAfter, message: outcome.message },
				};
			}
			default:
				return this.runHere(command);
		}
	}

	/**
	 * The commands that may also arrive from another server, run here. A maintenance kick sent
	 * to every server waits out the answer window too, so the caller gets the whole table first.
	 */
	runHere(command: FleetCommand, fromFleet = false): AdminResponse {
		switch (command.name) {
			case "forcebackup": {
				const result = this.systems.forceBackup(command.full ? "full" : "incremental");
				if (!result.success) return refused(AdminRefusal.Failed, result.error ?? "the backup failed");
				return { ok: true, name: command.name, result: backupResult(result) };
			}
			case "emergency": {
				if (!this.operations.setEmergencyMode) return waiting("Emergency mode");
				return { ok: true, name: command.name, result: this.operations.setEmergencyMode(command.on, command.reason) };
			}
			case "maintenance": {
				const backup = this.systems.emergencyBackup();
				const players = Players.GetPlayers();
				// "Your build is saved" only when the backup says so.
				const reason = kickMessage(backup.success ? KickReason.Maintenance : KickReason.MaintenanceBackupFailed);
				const message = command.message === undefined ? reason : `${reason} ${command.message}`;
				// The kick waits a moment so the caller's answer reaches them first.
				const delay = AdminConfig.maintenanceKickDelay + (fromFleet ? FleetConfig.answerWindowSeconds : 0);
				task.delay(delay, () => {
					for (const player of Players.GetPlayers()) player.Kick(message);
				});
				return {
					ok: true,
					name: command.name,
					result: { backupId: backup.id, backupSucceeded: backup.success, playersToKick: players.size() },
				};
			}
			case "announce": {
				Events.adminAnnouncement.broadcast(command.message);
				return { ok: true, name: command.name, result: { delivered: Players.GetPlayers().size() } };
			}
		}
	}
}
