/**
 * Who asks for a step: the memory ladder (its level), emergency mode, or a one-off cleanup
 * (`emergencyCleanup()`, nothing to give back). Relief a source holds is given back only when
 * that same source undoes it, so one source ending its relief never takes away another's.
 */
export type ReliefSource = "memoryLevel" | "emergencyMode" | "cleanup";

/**
 * What MemoryManager asks of the systems that hold memory it can give back (object pools,
 * streaming radii, caches). Any `@Service()` that implements this interface is found through
 * Flamework and called on level changes; the object pooling and streaming services implement it.
 */
export interface MemoryRelief {
	/** Who acts, for the action log, e.g. "objectPooling". */
	readonly reliefName: string;
	/** Applies a step of the ladder for `source`; returns what it did, in words, or undefined when it has nothing for that step. */
	relieve(action: MemoryAction, source: ReliefSource): string | undefined;
	/** Undoes `source`'s step (memory fell back below its level, or emergency mode ended). */
	restore(action: MemoryAction, source: ReliefSource): string | undefined;
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
