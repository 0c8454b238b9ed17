import type { SampleSummary } from "server/analytics/rolling-samples";
import type { StreamingSettings } from "shared/config/streaming-config";

/** What one player is being streamed. */
export interface ViewerReport {
	readonly userId: number;
	readonly focus: "character" | "plot" | "none";
	readonly chunksHeld: number;
	readonly chunksPending: number;
	readonly objectsHeld: number;
	readonly bytesSent: number;
	/** Frames from joining until every chunk of the own plot had been sent (-1: not yet). */
	readonly framesToOwnPlot: number;
}

/** The `objectStreaming` system's state and figures. */
export interface StreamingStatus {
	/** Degraded after any error following a change, or when frames take over twice the budget (p95). */
	readonly health: "healthy" | "degraded";
	/** Changes streaming failed to follow (each is also warned). */
	readonly errors: number;
	readonly settings: StreamingSettings;
	readonly players: number;
	readonly objects: number;
	readonly chunks: number;
	/** Chunks some player holds (each followed by its delta log while held). */
	readonly watchedChunks: number;
	readonly snapshotsSent: number;
	readonly objectsStreamed: number;
	/** Place/remove records sent (one per player that heard of a change). */
	readonly deltasSent: number;
	/** Changes queued for the players holding their chunk (one each, however many hold it). */
	readonly deltasQueued: number;
	/** Delta backlogs that cost more than the chunk itself and were replaced by a fresh snapshot. */
	readonly backlogSnapshots: number;
	readonly unloadsSent: number;
	readonly bytesSent: number;
	/** Frames in which the server-wide budget ran out before every player was served. */
	readonly framesOverBudget: number;
	readonly resyncRequests: number;
	readonly rejectedRequests: number;
	/** The most chunk snapshots one player got in one frame (never above chunksPerPlayerPerFrame). */
	readonly maxChunksToOnePlayerInAFrame: number;
	/** Server time streaming took per frame, in milliseconds (last 600 frames). */
	readonly frameMilliseconds: SampleSummary;
	/** The part of frameMilliseconds spent firing the batches (engine time, not streaming logic). */
	readonly sendMilliseconds: SampleSummary;
}

/** What a rebuild of the chunk directory from the tracker did. */
export interface StreamingRebuild {
	/** Unix seconds. */
	readonly at: number;
	readonly objectsBefore: number;
	readonly objectsAfter: number;
	/** Objects that were unchanged and kept their wire handle. */
	readonly handlesKept: number;
	/** Chunk snapshots queued for players (one per chunk each player held). */
	readonly snapshotsResent: number;
	/** Errors following changes that the rebuild made good. */
	readonly errorsCleared: number;
}
