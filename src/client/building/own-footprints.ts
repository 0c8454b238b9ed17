import { findItem } from "shared/catalog/catalog";
import { FootprintBox, footprintBox } from "shared/placement/footprint";
import { PlacementSnapshot } from "shared/placement/placement-types";

interface OwnFootprint {
	readonly itemId: string;
	readonly box: FootprintBox;
}

/** The local player's placed footprints (plot-relative) and how many of each item they own. */
export class OwnFootprints {
	private readonly byId = new Map<string, OwnFootprint>();
	private readonly counts = new Map<string, number>();

	add(placement: PlacementSnapshot) {
		if (this.byId.has(placement.id)) return;
		const item = findItem(placement.itemId);
		if (item === undefined) return;
		this.byId.set(placement.id, { itemId: placement.itemId, box: footprintBox(placement.position, item.footprint, placement.rotation) });
		this.counts.set(placement.itemId, this.countOf(placement.itemId) + 1);
	}

	remove(placementId: string) {
		const footprint = this.byId.get(placementId);
		if (footprint === undefined) return;
		this.byId.delete(placementId);
		this.counts.set(footprint.itemId, this.countOf(footprint.itemId) - 1);
	}

	countOf(itemId: string): number {
		return this.counts.get(itemId) ?? 0;
	}

	/** Calls `visit` with each footprint until it returns true; returns whether one did. */
	some(visit: (box: FootprintBox) => boolean): boolean {
		for (const [, footprint] of this.byId) {
			if (visit(footprint.box)) return true;
		}
		return false;
	}
}
