/** Automatic moderation thresholds, in the spec's shape. */
export interface ModerationRules {
	maxObjectsPerMinute: number;
	maxObjectsInRadius: number;
	maxSameItemType: number;
	checkRadius: number;
}

/** Stricter limits for public servers, relaxed ones for private servers with trusted builders. */
export const ModerationPresets: Record<"public" | "private", ModerationRules> = {
	public: { maxObjectsPerMinute: 5, maxObjectsInRadius: 15, maxSameItemType: 3, checkRadius: 50 },
	private: { maxObjectsPerMinute: 30, maxObjectsInRadius: 60, maxSameItemType: 12, checkRadius: 50 },
};

/** How strikes escalate: a cooldown first, then a kick. Strikes older than the window expire. */
export const ModerationEscalation = {
	strikesForCooldown: 3,
	cooldownSeconds: 30,
	strikesForKick: 6,
	strikeWindowSeconds: 300,
} as const;
