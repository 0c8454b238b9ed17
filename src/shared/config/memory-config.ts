/** Memory levels in MB, in the spec's shape. */
export interface MemoryThresholds {
	warning: number;
	critical: number;
	emergency: number;
}

/** The spec's presets: smaller servers, and larger ones (10+ concurrent players). */
export const MemoryPresets: Record<"small" | "large", MemoryThresholds> = {
	small: { warning: 600, critical: 800, emergency: 1000 },
	large: { warning: 800, critical: 1200, emergency: 1500 },
};

export const MemoryConfig = {
	/** "auto" picks by Players.MaxPlayers (see largeServerPlayers); or a preset by name. */
	preset: "auto" as "auto" | "small" | "large",
	/** Servers with at least this many player slots (Players.MaxPlayers) use the large preset. */
	largeServerPlayers: 10,
	/** Seconds between samples of Stats. */
	sampleSeconds: 5,
	/** A level is left only once memory is this many MB below its threshold, so it does not flap. */
	hysteresisMb: 50,
	/** Samples kept for the trend (MB per minute over them). */
	trendSamples: 12,
	/** Actions kept in the report. */
	actionHistory: 50,
} as const;
