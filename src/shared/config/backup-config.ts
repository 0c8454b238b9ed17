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

/**
 * The preset this place backs up on: `lowActivity` for a quiet place (few changes a minute), where
 * a backup a minute would spend DataStore requests on little.
 */
export const BackupSchedule = {
	preset: "highActivity" as keyof typeof BackupPresets,
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
	/**
	 * The shared index: each server records which players its backups cover in one key per time
	 * bucket and shard. A key takes one write per 6 s, and a server writes at most one index record
	 * per backup (only when it covers someone new, or a new bucket starts), so `indexShards` shards
	 * take about 10 x shards servers each backing up once a minute. A value holds 4 MB: a 6 h
	 * bucket of 10 servers per shard seeing 2,000 players each is about 0.2 MB.
	 */
	indexBucketSeconds: 21_600,
	indexShards: 4,
	/**
	 * How far back a load looks for backups newer than the profile (bounded below by the start of
	 * the session that saved the profile). Backup sets of servers gone longer than this are deleted.
	 */
	indexLookbackSeconds: 259_200,
	/** Seconds a read of a bucket still being written is reused by later loads (a bucket read after it closed: the whole lookback). */
	indexCacheSeconds: 10,
	/** Seconds after a session ends before its final build is backed up (sessions ending together share one backup). */
	departureBackupDelay: 2,
	/** Seconds between retention runs over other servers' sets, and deletions one run may make. */
	retentionInterval: 3_600,
	retentionDeletesPerRun: 200,
	/**
	 * A server with no backup committed to its set for this long (half the lookback) writes the
	 * next one into a new set: retention elsewhere deletes a set whose newest backup is older than
	 * the lookback, and cannot do so conditionally, so a set it may take for gone is never written
	 * again.
	 */
	newSetAfterSeconds: 129_600,
	/** Index buckets past the lookback one run examines (catching up after quiet periods). */
	retentionBucketsPerRun: 2,
	/** Chunks not in their set's manifest are deleted once their backup is this old (a backup in progress writes chunks first). */
	orphanGraceSeconds: 900,
	/**
	 * A load that cannot read the backups while the journal shows one holds part of the build
	 * waits and tries again: first after this many seconds, doubling up to the maximum.
	 */
	loadRetryBaseSeconds: 2,
	loadRetryMaxSeconds: 60,
	/** Seconds a build whose session ended here is kept for hand-over to a rejoin on this server. */
	releasedBuildSeconds: 900,
	/** CPU seconds of backup encoding per frame before it yields to the next frame. */
	frameBudgetSeconds: 0.002,
} as const;
