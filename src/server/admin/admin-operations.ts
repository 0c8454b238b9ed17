import { SystemManager } from "server/system-manager/system-manager";
import {
	AlertLine,
	CleanupResult,
	EmergencyResult,
	FleetServerLine,
	PreflightCheck,
	RestartResult,
	SystemReportResult,
	SystemStatusResult,
} from "shared/admin/admin-types";

/**
 * What the admin commands need from the server's operations. `systemStatus` works today from
 * SystemManager's health report; the optional members arrive with the operations system
 * (status report, cleanup, restarts, emergency mode, fleet view, preflight, alert ring
 * buffer). A command whose member is missing answers `Unavailable`, never a made-up result.
 */
export interface AdminOperations {
	systemStatus: () => SystemStatusResult;
	systemReport?: () => SystemReportResult;
	forceCleanup?: () => CleanupResult;
	/** Restarts one system by name; a string is the reason it could not. */
	restartSystem?: (name: string) => RestartResult | string;
	setEmergencyMode?: (on: boolean, reason?: string) => EmergencyResult;
	fleetStatus?: () => FleetServerLine[];
	preflight?: () => PreflightCheck[];
	alerts?: () => AlertLine[];
}

/** The operations SystemManager offers today. */
export function operationsOf(systems: SystemManager): AdminOperations {
	return {
		systemStatus: () => {
			const health = systems.health();
			const backup = health.dataBackup;
			const lastBackup = backup.lastBackupId === undefined ? "no backup yet" : `last backup ${backup.lastBackupId}`;
			const failures = backup.consecutiveFailures > 0 ? `, ${backup.consecutiveFailures} consecutive failures` : "";
			return {
				overall: health.overall,
				jobId: game.JobId,
				players: health.players,
				objects: health.objects,
				systems: [{ name: "dataBackup", state: backup.health, detail: `${lastBackup}${failures}` }],
			};
		},
	};
}
