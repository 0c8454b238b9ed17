/** How often builds are backed up and how much history is kept, in the spec's shape. */
export interface BackupConfig {
	/** Seconds between incremental backups (what changed since the previous backup). */
	incrementalInterval: number;
	/** Seconds between full backups (every loaded build). */
	fullBackupInterval: number;
	/** Full backups kept, each with the incrementals that follow it; older ones are deleted. */
	retainFullBackups: number;
	/** Characters per stored chunk; under the 4 MB value limit with room for escaping. */
	chunkCharacters: number;
}

/** High activity backs up often; low activity saves DataStore requests on quiet servers. */
export const BackupPresets: Record<"highActivity" | "lowActivity", BackupConfig> = {
	highActivity: { incrementalInterval: 60, fullBackupInterval: 600, retainFullBackups: 3, chunkCharacters: 3_900_000 },
	lowActivity: { incrementalInterval: 300, fullBackupInterval: 1800, retainFullBackups: 3, chunkCharacters: 3_900_000 },
};

/** How backup requests share the DataStore with ProfileStore and ride out failures. */
export const BackupLimits = {
	/** Requests of a budget left to ProfileStore per loaded profile, plus a fixed floor. */
	reservePerProfile: 1,
	reserveFloor: 10,
	/** Attempts per request before the backup is given up and counted as failed. */
	maxAttempts: 6,
	/** First retry delay in seconds; doubles per attempt up to the cap. */
	retryBaseSeconds: 1,
	retryMaxSeconds: 30,
	/** Longest wait for budget before a scheduled request goes ahead anyway. */
	budgetWaitSeconds: 30,
	/** Backup results kept for the status report. */
	historySize: 50,
	/** Consecutive failed backups after which the system reports itself failing, not degraded. */
	failingAfter: 3,
	/** Server sets a player's locator remembers (newest first). */
	locatorSets: 8,
	/** CPU seconds of backup encoding per frame before it yields to the next frame. */
	frameBudgetSeconds: 0.002,
} as const;
