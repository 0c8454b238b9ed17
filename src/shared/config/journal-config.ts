/**
 * The build journal: every placement and removal is written to MemoryStoreService before the
 * client is told it succeeded, and replayed by whichever server loads the player next.
 */
export interface JournalConfig {
	/** Longest wait for the journal write before the client is answered with `saved: "pending"`. */
	writeTimeoutSeconds: number;
	/**
	 * After a player's changes have been pending (neither journaled nor saved) this long, their
	 * new changes are refused (`SavingDelayed`) until saving catches up.
	 */
	refuseAfterSeconds: number;
	/** First retry delay of a failed journal write; doubles per attempt up to the cap. */
	retryBaseSeconds: number;
	retryMaxSeconds: number;
	/**
	 * Entries expire after this long even if never trimmed: a safety net, longer than any outage a
	 * profile save must outlast (30 days, the longest GDPR allows to keep erased user data).
	 */
	entryExpirationSeconds: number;
	/**
	 * A session's claim on a player's journal (refreshed by each of its writes) expires this long
	 * after its last write: longer than an old server can go on believing it holds a player whose
	 * session was taken, yet short enough that claims of players who left do not pile up in memory.
	 */
	claimExpirationSeconds: number;
	/** This server's share of the experience's 64 KB base memory quota. */
	memoryBaseShareBytes: number;
	/** Journal bytes allowed per player on this server (of the 1.2 KB each user adds to the quota). */
	memoryPerPlayerBytes: number;
	/** Once the server's journals hold more than this share of its memory budget, the player with the largest journal gets an early profile save. */
	earlySaveAtShare: number;
	/** Shortest time between two early saves of one player's profile. */
	earlySaveCooldownSeconds: number;
}

export const JournalDefaults: JournalConfig = {
	writeTimeoutSeconds: 3,
	refuseAfterSeconds: 30,
	retryBaseSeconds: 1,
	retryMaxSeconds: 15,
	entryExpirationSeconds: 30 * 24 * 3600,
	claimExpirationSeconds: 6 * 3600,
	memoryBaseShareBytes: 16 * 1024,
	memoryPerPlayerBytes: 1024,
	earlySaveAtShare: 0.5,
	earlySaveCooldownSeconds: 10,
};

/** MemoryStore quotas of an experience, from Roblox's documentation ("Memory stores": limits and quotas). */
export const MemoryStoreQuotas = {
	memoryBaseBytes: 64 * 1024,
	memoryPerUserBytes: 1.2 * 1024,
	requestUnitsBase: 1000,
	requestUnitsPerUser: 120,
} as const;
