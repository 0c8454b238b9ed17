/**
 * What MemoryManager asks of the systems that hold memory it can give back (object pools,
 * streaming radii, caches). Any `@Service()` that implements this interface is found through
 * Flamework and called on level changes; the object pooling and streaming services implement it.
 */
export interface MemoryRelief {
	/** Who acts, for the action log, e.g. "objectPooling". */
	readonly reliefName: string;
	/** Applies a step of the ladder; returns what it did, in words, or undefined when it has nothing for that step. */
	relieve(action: MemoryAction): string | undefined;
	/** Undoes a step when memory falls back below its level. */
	restore(action: MemoryAction): string | undefined;
}

/**
 * The graded ladder: warning shrinks pools; critical takes pools to their floor, turns streaming
 * radii down and stops prewarming; emergency force-cleans pools and drops caches.
 */
export type MemoryAction = "shrinkPools" | "poolsToFloor" | "reduceStreamingRadius" | "stopPrewarming" | "forceCleanup" | "dropCaches";

export const ACTIONS_BY_LEVEL: Record<"warning" | "critical" | "emergency", readonly MemoryAction[]> = {
	warning: ["shrinkPools"],
	critical: ["poolsToFloor", "reduceStreamingRadius", "stopPrewarming"],
	emergency: ["forceCleanup", "dropCaches"],
};
