import { CatalogItem } from "shared/catalog/catalog";
import { PlacementConfig, PlotConfig } from "shared/config/placement-config";
import { FootprintBox, footprintBox, footprintsOverlap, plotProblem, snapToGrid } from "shared/placement/footprint";
import { RejectionReason } from "shared/placement/rejection-reason";
import { OwnFootprints } from "./own-footprints";

/**
 * What the server would say about a placement, as far as the client can know: the shared plot
 * checks the server runs (inside the plot, height), the item cap, overlap with the player's own
 * objects (the only ones on their plot) and a running cooldown. The footprint is the server's
 * own `footprintBox`, made again only when the candidate changes cell, item or turn, so a
 * preview standing still allocates nothing.
 */
export class PlacementPreview {
	private box: FootprintBox = footprintBox(Vector3.zero, Vector3.zero, 0);
	private boxItem: CatalogItem | undefined;
	private boxPosition = Vector3.zero;
	private boxRotation = 0;
	private readonly overlaps = (other: FootprintBox) => footprintsOverlap(this.box, other);

	constructor(private readonly own: OwnFootprints) {}

	/** The plot-relative base position the server would snap `x, y, z` to. */
	static snap(x: number, y: number, z: number): Vector3 {
		const grid = PlacementConfig.gridSize;
		return new Vector3(snapToGrid(x, grid), snapToGrid(y, grid), snapToGrid(z, grid));
	}

	problemAt(item: CatalogItem, position: Vector3, rotation: number, coolingDown: boolean): RejectionReason | undefined {
		if (item !== this.boxItem || position !== this.boxPosition || rotation !== this.boxRotation) {
			this.box = footprintBox(position, item.footprint, rotation);
			this.boxItem = item;
			this.boxPosition = position;
			this.boxRotation = rotation;
		}
		const geometry = plotProblem(this.box, position, item.footprint.Y, PlotConfig.size, PlacementConfig.maxHeight);
		if (geometry !== undefined) return geometry;
		if (this.own.countOf(item.id) >= item.perPlayerCap) return RejectionReason.ItemCap;
		if (this.own.some(this.overlaps)) return RejectionReason.Overlap;
		if (coolingDown) return RejectionReason.Cooldown;
		return undefined;
	}
}
