import { BackupHealth, BackupStatus } from "server/data-backup/backup-types";

export type SystemState = BackupHealth;

/** What SystemManager reports about the server: the worst state of its systems, and each one. */
export interface HealthReport {
	readonly overall: SystemState;
	readonly players: number;
	readonly objects: number;
	readonly dataBackup: BackupStatus;
}

const SEVERITY: Record<SystemState, number> = { healthy: 0, degraded: 1, failing: 2 };

export function worstState(states: readonly SystemState[]): SystemState {
	let worst: SystemState = "healthy";
	for (const state of states) if (SEVERITY[state] > SEVERITY[worst]) worst = state;
	return worst;
}
