import type { JournalStatus } from "server/build-journal/journal-types";
import { BackupHealth, BackupStatus } from "server/data-backup/backup-types";

export type SystemState = BackupHealth;

/** What SystemManager reports about the server: the worst state of its systems, and each one. */
export interface HealthReport {
	readonly overall: SystemState;
	readonly players: number;
	readonly objects: number;
	readonly dataBackup: BackupStatus;
	/** The write-ahead build journal: its counters and how close it runs to the MemoryStore quotas. */
	readonly buildJournal?: JournalStatus;
}

const SEVERITY: Record<SystemState, number> = { healthy: 0, degraded: 1, failing: 2 };

export function worstState(states: readonly SystemState[]): SystemState {
	let worst: SystemState = "healthy";
	for (const state of states) if (SEVERITY[state] > SEVERITY[worst]) worst = state;
	return worst;
}
