/** How placement snaps and what the server accepts. */
export const PlacementConfig = {
	/** Positions snap to this grid, in studs. */
	gridSize: 1,
	/** Rotation about Y must be a multiple of this, in degrees. */
	rotationStep: 90,
	/** Highest point an object may reach above its plot's floor, in studs. */
	maxHeight: 48,
	/** Requests a player may make per second (and burst), enforced before any system runs. */
	requestsPerSecond: 8,
	requestBurst: 12,
} as const;

/**
 * Plot layout: plots are squares in a grid of `columns`, `spacing` studs apart. A server builds
 * one plot per player slot (`Players.MaxPlayers`), and at least `count`.
 */
export const PlotConfig = {
	count: 12,
	size: 96,
	spacing: 24,
	columns: 4,
	floorHeight: 0,
} as const;
