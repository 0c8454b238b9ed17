import { PlotConfig } from "shared/config/placement-config";

/** World position of plot `index`'s minimum corner at floor height. */
export function plotOrigin(index: number): Vector3 {
	const column = index % PlotConfig.columns;
	const row = math.floor(index / PlotConfig.columns);
	const pitch = PlotConfig.size + PlotConfig.spacing;
	return new Vector3(column * pitch, PlotConfig.floorHeight, row * pitch);
}

/** How many plots a server builds: one per player slot, never fewer than the configured count. */
export function plotCountFor(maxPlayers: number): number {
	return math.max(PlotConfig.count, maxPlayers);
}
