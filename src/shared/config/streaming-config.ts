/** Tunables of object streaming. The server reads them every frame, so a change applies at once. */
export interface StreamingSettings {
	/** Side of a square chunk on the X/Z plane, in studs (8 to 1024). */
	chunkSize: number;
	/** A chunk whose nearest point is within this distance of the focus is streamed in. */
	streamInRadius: number;
	/** A streamed chunk is dropped once its nearest point is farther than this (> streamInRadius). */
	streamOutRadius: number;
	/** Chunk snapshots sent to one player per frame. */
	chunksPerPlayerPerFrame: number;
	/**
	 * Bytes of one player's batch per frame: place/remove deltas of chunks they hold, then
	 * snapshots. The frame's first record always goes (a chunk bigger than this goes alone).
	 */
	bytesPerPlayerPerFrame: number;
	/**
	 * Server time streaming may spend on deltas and snapshots per frame, in milliseconds, over
	 * every player (served in rotation). Every player's focus and drops run on top of it.
	 */
	serverMillisecondsPerFrame: number;
}

export const DefaultStreamingSettings: Readonly<StreamingSettings> = {
	chunkSize: 64,
	streamInRadius: 160,
	streamOutRadius: 224,
	chunksPerPlayerPerFrame: 4,
	bytesPerPlayerPerFrame: 16384,
	serverMillisecondsPerFrame: 0.6,
};

/** Whether the server also keeps a Model per placed object in Workspace (off: clients stream them). */
export const ServerModelsConfig = { enabled: false };

/** Object pools on the client. */
export const PoolConfig = {
	/** Idle models each item's pool is prewarmed with. */
	prewarmPerItem: 8,
	/** Idle models kept per item when shrinking. */
	idleFloorPerItem: 8,
	/** Idle models above the floor are destroyed once idle this long, in seconds. */
	shrinkAfterSeconds: 30,
	/** Models destroyed per frame by the shrink policy. */
	shrinkPerFrame: 16,
	/** A model still held this long after its chunk streamed out is reported as a leak, in seconds. */
	leakAfterSeconds: 5,
};

/**
 * What memory pressure does to streaming: each step (critical memory, then emergency mode on top)
 * scales the radii and the per-player budgets of the settings as configured,
 * down to the floors; each step is undone in turn as memory falls back.
 */
export const StreamingReliefConfig = {
	/** Radii are multiplied by this per step. */
	radiusFactorPerStep: 0.6,
	/** chunksPerPlayerPerFrame and bytesPerPlayerPerFrame are multiplied by this per step. */
	budgetFactorPerStep: 0.5,
	/** The stream-in radius never goes below this, in studs. */
	minStreamInRadius: 32,
	/** Stream-out stays at least this far beyond stream-in, in studs (hysteresis). */
	minHysteresis: 16,
	/** Steps at most (further requests are counted but change nothing). */
	maxSteps: 3,
};

/** Object pools on the server: only used when server models are on (ServerModelsConfig). */
export const ServerPoolConfig = {
	/** Idle models each item's pool is prewarmed with once server models are on. */
	prewarmPerItem: 4,
	/** Idle models kept per item when shrinking. */
	idleFloorPerItem: 4,
	/** Idle models above the floor are destroyed once idle this long, in seconds. */
	shrinkAfterSeconds: 30,
	/** Models destroyed per frame by the shrink policy. */
	shrinkPerFrame: 8,
	/** A model out of its pool this long after it stopped being used (destroyed, its placement gone) is reported as a leak, in seconds. */
	leakAfterSeconds: 5,
};

/**
 * When objectStreaming calls itself DEGRADED for time: the server-wide budget ran out (some player
 * waited for their turn) in more than this share of the recent frames (the last 600), counted once
 * at least `minFrames` were seen. Rotation makes some such frames normal under load: the
 * 50-player × 100,000-object benchmark on a busy shared 2-core host runs over in about 10 % of
 * frames (70 % before deltas were queued and drop checks spaced out) and still converges.
 */
export const StreamingHealthConfig = {
	overBudgetShare: 0.8,
	minFrames: 120,
};
