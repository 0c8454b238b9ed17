/** One item's pool, as the memory manager reads it. */
export interface ItemPoolStats {
	readonly itemId: string;
	/** Models alive: in use plus idle. */
	readonly size: number;
	readonly inUse: number;
	readonly idle: number;
	/** Acquires served from the idle models. */
	readonly hits: number;
	/** Acquires that had to clone the template. */
	readonly misses: number;
	/** Idle models destroyed by shrinking or forceCleanup. */
	readonly destroyed: number;
}

/** A model acquired for a chunk that streamed out and was never released. */
export interface PoolLeak {
	readonly itemId: string;
	readonly chunkKey: number;
	/** Seconds since it was acquired. */
	readonly ageSeconds: number;
	/** Seconds since its chunk streamed out. */
	readonly secondsSinceStreamedOut: number;
}

/** A model still out of its pool though its user no longer uses it (destroyed, or its object gone). */
export interface AbandonedModel {
	readonly itemId: string;
	/** The PlacementId attribute it still carries, if any. */
	readonly placementId?: string;
	/** Seconds since it was acquired. */
	readonly ageSeconds: number;
	/** Seconds since an audit first found it unused. */
	readonly secondsUnused: number;
}

/** How an idle model is kept out of sight: unparented, or parked far away (PartCache's way). */
export type Parking = "parent-nil" | "cframe-far";

export interface PoolOptions {
	readonly parking: Parking;
	/** Where parked models live when parking is "cframe-far". */
	readonly parkingFolder?: Instance;
	/** The parking folder when it is made after the pools (it wins over `parkingFolder`). */
	readonly parkingFolderOf?: () => Instance | undefined;
	/** Idle models kept per item when shrinking. */
	readonly idleFloor: number;
	/** Idle models above the floor are destroyed once idle this long, in seconds. */
	readonly shrinkAfterSeconds: number;
	readonly leakAfterSeconds: number;
	/** The clock, in seconds (os.clock in games, virtual time in specs). */
	readonly now: () => number;
}

/** The `objectPooling` system's figures. */
export interface PoolingReport {
	readonly parking: Parking;
	readonly items: ItemPoolStats[];
	readonly totalSize: number;
	readonly totalInUse: number;
	readonly totalIdle: number;
	readonly hits: number;
	readonly misses: number;
	readonly leaks: PoolLeak[];
}
