import { Service } from "@flamework/core";
import { CriticalSystem, SystemState, SystemStatus } from "server/system-manager/critical-system";
import { BackupConfig } from "shared/config/backup-config";
import { BackupHealth, BackupKind, BackupResult, RecoveryReport, RecoveryScope, RecoveryTarget } from "./backup-types";
import { BuildRecoveryService } from "./build-recovery-service";
import { DataBackupService } from "./data-backup-service";
import { countText } from "shared/text/count-text";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		dataBackup: DataBackupSystem;
	}
}

/** Backup results kept in the system report. */
const REPORTED_HISTORY = 5;

const STATES: Record<BackupHealth, SystemState> = { healthy: "OPERATIONAL", degraded: "DEGRADED", failing: "FAILED" };

export interface DataBackupReport {
	readonly config: BackupConfig;
	readonly backupsTaken: number;
	readonly failedBackups: number;
	readonly consecutiveFailures: number;
	readonly retries: number;
	readonly inProgress: boolean;
	readonly lastBackupId?: string;
	readonly lastSuccessAt?: number;
	readonly lastError?: string;
	readonly recent: readonly BackupResult[];
}

/** Backups as a critical system, with the spec's `systems.dataBackup` calls. */
@Service()
export class DataBackupSystem implements CriticalSystem {
	readonly systemName = "dataBackup";
	readonly isolates: readonly object[];

	constructor(
		readonly backups: DataBackupService,
		private readonly recovery: BuildRecoveryService,
	) {
		this.isolates = [backups, recovery];
	}

	status(): SystemStatus {
		const status = this.backups.status();
		const state = STATES[status.health];
		if (state === "OPERATIONAL") return { state, reason: `${countText(status.backupsTaken, "backup")} taken, last ${status.lastBackupId ?? "none yet"}` };
		return { state, reason: `${status.consecutiveFailures} backup(s) failed in a row: ${status.lastError ?? "unknown error"}` };
	}

	report(): DataBackupReport {
		const status = this.backups.status();
		const recent: BackupResult[] = [];
		for (let index = math.max(0, status.history.size() - REPORTED_HISTORY); index < status.history.size(); index++) {
			recent.push(status.history[index]);
		}
		return {
			config: { ...status.config },
			backupsTaken: status.backupsTaken,
			failedBackups: status.failedBackups,
			consecutiveFailures: status.consecutiveFailures,
			retries: status.retries,
			inProgress: status.inProgress,
			lastBackupId: status.lastBackupId,
			lastSuccessAt: status.lastSuccessAt,
			lastError: status.lastError,
			recent,
		};
	}

	/** Waits for a backup in progress, then restarts the schedule from now; change capture is kept. */
	restart() {
		while (this.backups.status().inProgress) this.backups.backupFinished.Wait();
		this.backups.configure({});
	}

	forceBackup(kind: BackupKind = "incremental"): BackupResult {
		return this.backups.forceBackup(kind);
	}

	emergencyBackup(): BackupResult {
		return this.backups.emergencyBackup();
	}

	recoverFromBackup(target: RecoveryTarget, scope: RecoveryScope = { kind: "everyone" }, preview = false): RecoveryReport {
		return this.recovery.recoverFromBackup(target, scope, preview);
	}
}
