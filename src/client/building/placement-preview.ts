import { CatalogItem } from "shared/catalog/catalog";
import { PlacementConfig, PlotConfig } from "shared/config/placement-config";
import { FootprintBox, footprintBoxInto, footprintsOverlap, plotProblem, snapToGrid } from "shared/placement/footprint";
import { RejectionReason } from "shared/placement/rejection-reason";
import { OwnFootprints } from "./own-footprints";

/**
 * What the server would say about a placement, as far as the client can know: the shared plot
 * checks the server runs (inside the plot, height), the item cap, overlap with the player's own
 * objects (the only ones on their plot) and a running cooldown. Allocates nothing per call.
 */
export class PlacementPreview {
	private readonly box: FootprintBox = { minX: 0, minZ: 0, maxX: 0, maxZ: 0 };
	private readonly overlaps = (other: FootprintBox) => footprintsOverlap(this.box, other);

	constructor(private readonly own: OwnFootprints) {}

	/** The plot-relative base position the server would snap `x, y, z` to. */
	static snap(x: number, y: number, z: number): Vector3 {
		const grid = PlacementConfig.gridSize;
		return new Vector3(snapToGrid(x, grid), snapToGrid(y, grid), snapToGrid(z, grid));
	}

	problemAt(item: CatalogItem, position: Vector3, rotation: number, coolingDown: boolean): RejectionReason | undefined {
		footprintBoxInto(this.box, position, item.footprint, rotation);
		const geometry = plotProblem(this.box, position, item.footprint.Y, PlotConfig.size, PlacementConfig.maxHeight);
		if (geometry !== undefined) return geometry;
		if (this.own.countOf(item.id) >= item.perPlayerCap) return RejectionReason.ItemCap;
		if (this.own.some(this.overlaps)) return RejectionReason.Overlap;
		if (coolingDown) return RejectionReason.Cooldown;
		return undefined;
	}
}
