import { Service } from "@flamework/core";
import { findItem } from "shared/catalog/catalog";
import { FootprintBox, footprintBoxInto } from "shared/placement/footprint";
import { PlacementSnapshot } from "shared/placement/placement-types";
import { createSpatialHash, RadiusCounts } from "./spatial-hash";

/**
 * Cell size of the spatial index, in studs. Moderation counts within 50 studs on every
 * placement: 32-stud cells visit 16–25 cells where 16-stud ones visit 49 (each a lookup that
 * misses the cache in a full server), and measured about 5 µs less per placement at 100k
 * objects, checkSpace's small boxes costing about 0.4 µs more.
 */
export const TRACKER_CELL_SIZE = 32;

/**
 * A placement the server tracks: its snapshot plus where it sits in the world. Its footprint
 * lives in the spatial index alone (see PlacementTracker.add): a box table per placement would
 * cost every tracked object its memory for what only the index reads.
 */
export interface TrackedPlacement extends PlacementSnapshot {
	/** World-space centre of the base. */
	readonly worldPosition: Vector3;
}

/** Where a footprint worked out by `add` is written (the index copies it). */
const WORKED_OUT_BOX: FootprintBox = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };

/** `placement`'s X/Z footprint in the world, from its catalog item's size; written into `into`. */
function worldFootprintOf(placement: TrackedPlacement, into: FootprintBox): FootprintBox {
	const item = findItem(placement.itemId);
	if (item === undefined) error(`placement ${placement.id} is of unknown item ${placement.itemId}: it has no footprint`, 2);
	const position = placement.worldPosition;
	return footprintBoxInto(position.X, position.Z, item.footprint, placement.rotation, into);
}

/** Told of every change to the tracker, synchronously and in order (object streaming listens). */
export interface PlacementListener {
	readonly added: (placement: TrackedPlacement) => void;
	readonly removed: (placement: TrackedPlacement) => void;
}

/** The authoritative registry of placed objects: by id, by owner, counts by item, and a spatial index. */
@Service()
export class PlacementTracker {
	private readonly byId = new Map<string, TrackedPlacement>();
	private readonly byOwner = new Map<number, Map<string, TrackedPlacement>>();
	// Kept alongside the maps: a Map's size() counts its entries one by one.
	private readonly ownedCounts = new Map<number, number>();
	private total = 0;
	private readonly itemCounts = new Map<number, Map<string, number>>();
	/** Footprints with their item id as the kind, so "how many of this item nearby" is a count too. */
	private readonly index = createSpatialHash(TRACKER_CELL_SIZE);
	private readonly listeners: PlacementListener[] = [];

	/** Adds a listener told of every later add and remove. */
	subscribe(listener: PlacementListener) {
		this.listeners.push(listener);
	}

	/**
	 * Tracks `placement` with its X/Z footprint in the world (copied into the index), worked out
	 * from its catalog item when the caller has not computed it already. A placement without a
	 * footprint (an unknown item, a box that is not finite) is refused whole: nothing changes.
	 */
	add(placement: TrackedPlacement, worldBox?: FootprintBox) {
		// Not assert(): its message would be built on every call.
		if (this.byId.has(placement.id)) error(`placement ${placement.id} is already tracked`, 2);
		const box = worldBox ?? worldFootprintOf(placement, WORKED_OUT_BOX);
		// First: the index checks the footprint before it changes anything.
		this.index.insert(placement.id, box.minX, box.minZ, box.maxX, box.maxZ, placement.itemId);
		this.byId.set(placement.id, placement);
		this.total += 1;
		this.ownedCounts.set(placement.ownerId, (this.ownedCounts.get(placement.ownerId) ?? 0) + 1);
		let owned = this.byOwner.get(placement.ownerId);
		if (owned === undefined) {
			owned = new Map();
			this.byOwner.set(placement.ownerId, owned);
		}
		owned.set(placement.id, placement);
		let counts = this.itemCounts.get(placement.ownerId);
		if (counts === undefined) {
			counts = new Map();
			this.itemCounts.set(placement.ownerId, counts);
		}
		counts.set(placement.itemId, (counts.get(placement.itemId) ?? 0) + 1);
		for (const listener of this.listeners) listener.added(placement);
	}

	/** A tracked placement's footprint in the world as indexed, written into `into`; undefined when it is not tracked. */
	footprintOf(placementId: string, into: FootprintBox): FootprintBox | undefined {
		return this.index.boundsOf(placementId, into);
	}

	remove(placementId: string): TrackedPlacement | undefined {
		const placement = this.byId.get(placementId);
		if (placement === undefined) return undefined;
		this.byId.delete(placementId);
		this.total -= 1;
		const ownedLeft = (this.ownedCounts.get(placement.ownerId) ?? 1) - 1;
		if (ownedLeft > 0) {
			this.ownedCounts.set(placement.ownerId, ownedLeft);
			this.byOwner.get(placement.ownerId)?.delete(placementId);
		} else {
			this.ownedCounts.delete(placement.ownerId);
			this.byOwner.delete(placement.ownerId);
		}
		const counts = this.itemCounts.get(placement.ownerId);
		if (counts !== undefined) {
			const remaining = (counts.get(placement.itemId) ?? 1) - 1;
			if (remaining > 0) counts.set(placement.itemId, remaining);
			else counts.delete(placement.itemId);
			if (ownedLeft === 0) this.itemCounts.delete(placement.ownerId);
		}
		this.index.remove(placementId);
		for (const listener of this.listeners) listener.removed(placement);
		return placement;
	}

	get(placementId: string): TrackedPlacement | undefined {
		return this.byId.get(placementId);
	}

	/** The owner's placements (a live view: do not keep it across yields). */
	ownedBy(ownerId: number): ReadonlyMap<string, TrackedPlacement> {
		return this.byOwner.get(ownerId) ?? new Map();
	}

	countOf(ownerId: number, itemId: string): number {
		return this.itemCounts.get(ownerId)?.get(itemId) ?? 0;
	}

	countOwnedBy(ownerId: number): number {
		return this.ownedCounts.get(ownerId) ?? 0;
	}

	/** Forgets every placement (a restart rebuilds the registry from the loaded builds); listeners hear of each removal, so what they derive stays in step. */
	clear() {
		const removed = this.all();
		this.byId.clear();
		this.total = 0;
		this.ownedCounts.clear();
		this.byOwner.clear();
		this.itemCounts.clear();
		this.index.clear();
		for (const placement of removed) for (const listener of this.listeners) listener.removed(placement);
	}

	/** Every tracked placement (a copy). */
	all(): TrackedPlacement[] {
		const result: TrackedPlacement[] = [];
		for (const [, placement] of this.byId) result.push(placement);
		return result;
	}

	totalObjects(): number {
		return this.total;
	}

	/** Ids of placements whose footprint overlaps the world box; fills and returns `out`. */
	overlapping(box: FootprintBox, out: string[]): string[] {
		return this.index.queryBox(box.minX, box.minZ, box.maxX, box.maxZ, out);
	}

	/** Placements within `radius` studs of a world point (of one item, if given), counted up to `limit`. */
	countNear(x: number, z: number, radius: number, limit: number, itemId?: string): number {
		return this.index.countRadius(x, z, radius, limit, itemId);
	}

	/**
	 * Both of moderation's density figures in one pass over the index: placements within `radius`
	 * of a world point counted up to `limit`, and those of `itemId` up to `itemLimit`.
	 */
	countNearAndItem(x: number, z: number, radius: number, limit: number, itemId: string, itemLimit: number, into: RadiusCounts): RadiusCounts {
		return this.index.countRadiusAndKind(x, z, radius, limit, itemId, itemLimit, into);
	}

	/** Ids of placements within `radius` studs of a world point on the X/Z plane; fills and returns `out`. */
	near(x: number, z: number, radius: number, out: string[]): string[] {
		return this.index.queryRadius(x, z, radius, out);
	}
}
