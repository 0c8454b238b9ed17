/**
 * Spatial indexes over the X/Z plane for axis-aligned footprints (placed objects seen from
 * above). Query results are sorted by id (string order), so the same index contents always
 * give the same list whatever order the ids were inserted in.
 */
export interface SpatialHash {
	/** Adds `id` with its footprint, or moves it when it is already indexed. */
	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number): void;
	/** Removes `id`; false when it was not indexed. */
	remove(id: string): boolean;
	/**
	 * Ids whose footprints overlap the box with positive area: footprints that only touch
	 * its edges are not included. Clears `out`, fills it sorted by id and returns it.
	 */
	queryBox(minX: number, minZ: number, maxX: number, maxZ: number, out: string[]): string[];
	/**
	 * Ids whose footprints come within `radius` of (x, z), measured from the point to the
	 * nearest point of the footprint (a footprint containing the point is at distance 0).
	 * Clears `out`, fills it sorted by id and returns it.
	 */
	queryRadius(x: number, z: number, radius: number, out: string[]): string[];
	size(): number;
	clear(): void;
}

interface Entry {
	readonly id: string;
	minX: number;
	minZ: number;
	maxX: number;
	maxZ: number;
	cellMinX: number;
	cellMinZ: number;
	cellMaxX: number;
	cellMaxZ: number;
	/** Kept in the oversized list instead of the grid cells. */
	oversized: boolean;
	/** The last query that visited this entry, so a footprint spanning several cells is reported once. */
	visitedBy: number;
}

/** Two cell coordinates pack into one number key; within ±2^25 cells every key is exact and unique. */
const CELL_LIMIT = 33554432;
const CELL_KEY_STRIDE = CELL_LIMIT * 2;

/**
 * Footprints covering more cells than this are scanned by every query instead of being stored
 * in each cell, so one huge footprint (a baseplate) cannot flood the grid.
 */
const MAX_CELLS_PER_ENTRY = 256;

function assertFootprint(minX: number, minZ: number, maxX: number, maxZ: number) {
	assert(minX <= maxX && minZ <= maxZ, "footprint needs min <= max on both axes (and no NaN)");
	assert(minX > -math.huge && maxX < math.huge && minZ > -math.huge && maxZ < math.huge, "footprint must be finite");
}

function overlapsBox(entry: Entry, minX: number, minZ: number, maxX: number, maxZ: number): boolean {
	return entry.minX < maxX && minX < entry.maxX && entry.minZ < maxZ && minZ < entry.maxZ;
}

function withinRadius(entry: Entry, x: number, z: number, radiusSquared: number): boolean {
	const dx = x < entry.minX ? entry.minX - x : x > entry.maxX ? x - entry.maxX : 0;
	const dz = z < entry.minZ ? entry.minZ - z : z > entry.maxZ ? z - entry.maxZ : 0;
	return dx * dx + dz * dz <= radiusSquared;
}

function clampCell(cell: number): number {
	return math.clamp(cell, -CELL_LIMIT, CELL_LIMIT - 1);
}

function removeFromList(list: Entry[], entry: Entry) {
	const index = list.indexOf(entry);
	if (index >= 0) {
		// Order inside a cell does not matter (results are sorted), so swap-remove.
		list[index] = list[list.size() - 1];
		list.pop();
	}
}

class GridSpatialHash implements SpatialHash {
	private readonly entries = new Map<string, Entry>();
	private readonly cells = new Map<number, Entry[]>();
	private readonly oversized: Entry[] = [];
	private count = 0;
	private queryCounter = 0;

	constructor(private readonly cellSize: number) {}

	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number) {
		assertFootprint(minX, minZ, maxX, maxZ);
		let entry = this.entries.get(id);
		if (entry) {
			this.unlink(entry);
		} else {
			entry = {
				id,
				minX,
				minZ,
				maxX,
				maxZ,
				cellMinX: 0,
				cellMinZ: 0,
				cellMaxX: 0,
				cellMaxZ: 0,
				oversized: false,
				visitedBy: 0,
			};
			this.entries.set(id, entry);
			this.count += 1;
		}
		entry.minX = minX;
		entry.minZ = minZ;
		entry.maxX = maxX;
		entry.maxZ = maxZ;
		this.link(entry);
	}

	remove(id: string): boolean {
		const entry = this.entries.get(id);
		if (!entry) return false;
		this.unlink(entry);
		this.entries.delete(id);
		this.count -= 1;
		return true;
	}

	queryBox(minX: number, minZ: number, maxX: number, maxZ: number, out: string[]): string[] {
		out.clear();
		const visit = this.nextQuery();
		const size = this.cellSize;
		const cellMinX = clampCell(math.floor(minX / size));
		const cellMaxX = clampCell(math.floor(maxX / size));
		const cellMinZ = clampCell(math.floor(minZ / size));
		const cellMaxZ = clampCell(math.floor(maxZ / size));
		if (this.cellSpanExceedsCount(cellMinX, cellMinZ, cellMaxX, cellMaxZ)) {
			for (const [, entry] of this.entries) {
				if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out.push(entry.id);
			}
			return out.sort();
		}
		for (let cellX = cellMinX; cellX <= cellMaxX; cellX++) {
			for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
				const bucket = this.cells.get(cellX * CELL_KEY_STRIDE + cellZ);
				if (!bucket) continue;
				for (const entry of bucket) {
					if (entry.visitedBy === visit) continue;
					entry.visitedBy = visit;
					if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out.push(entry.id);
				}
			}
		}
		for (const entry of this.oversized) {
			if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out.push(entry.id);
		}
		return out.sort();
	}

	queryRadius(x: number, z: number, radius: number, out: string[]): string[] {
		out.clear();
		if (!(radius >= 0)) return out;
		const visit = this.nextQuery();
		const radiusSquared = radius * radius;
		const size = this.cellSize;
		const cellMinX = clampCell(math.floor((x - radius) / size));
		const cellMaxX = clampCell(math.floor((x + radius) / size));
		const cellMinZ = clampCell(math.floor((z - radius) / size));
		const cellMaxZ = clampCell(math.floor((z + radius) / size));
		if (this.cellSpanExceedsCount(cellMinX, cellMinZ, cellMaxX, cellMaxZ)) {
			for (const [, entry] of this.entries) {
				if (withinRadius(entry, x, z, radiusSquared)) out.push(entry.id);
			}
			return out.sort();
		}
		for (let cellX = cellMinX; cellX <= cellMaxX; cellX++) {
			for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
				const bucket = this.cells.get(cellX * CELL_KEY_STRIDE + cellZ);
				if (!bucket) continue;
				for (const entry of bucket) {
					if (entry.visitedBy === visit) continue;
					entry.visitedBy = visit;
					if (withinRadius(entry, x, z, radiusSquared)) out.push(entry.id);
				}
			}
		}
		for (const entry of this.oversized) {
			if (withinRadius(entry, x, z, radiusSquared)) out.push(entry.id);
		}
		return out.sort();
	}

	size(): number {
		return this.count;
	}

	clear() {
		this.entries.clear();
		this.cells.clear();
		this.oversized.clear();
		this.count = 0;
	}

	private nextQuery(): number {
		this.queryCounter += 1;
		return this.queryCounter;
	}

	/** A query covering more cells than there are entries is cheaper as a scan of every entry. */
	private cellSpanExceedsCount(cellMinX: number, cellMinZ: number, cellMaxX: number, cellMaxZ: number): boolean {
		return (cellMaxX - cellMinX + 1) * (cellMaxZ - cellMinZ + 1) > this.count;
	}

	private link(entry: Entry) {
		const size = this.cellSize;
		const cellMinX = math.floor(entry.minX / size);
		const cellMaxX = math.floor(entry.maxX / size);
		const cellMinZ = math.floor(entry.minZ / size);
		const cellMaxZ = math.floor(entry.maxZ / size);
		entry.cellMinX = cellMinX;
		entry.cellMaxX = cellMaxX;
		entry.cellMinZ = cellMinZ;
		entry.cellMaxZ = cellMaxZ;
		const cellCount = (cellMaxX - cellMinX + 1) * (cellMaxZ - cellMinZ + 1);
		const outsideGrid = cellMinX < -CELL_LIMIT || cellMinZ < -CELL_LIMIT || cellMaxX >= CELL_LIMIT || cellMaxZ >= CELL_LIMIT;
		entry.oversized = cellCount > MAX_CELLS_PER_ENTRY || outsideGrid;
		if (entry.oversized) {
			this.oversized.push(entry);
			return;
		}
		for (let cellX = cellMinX; cellX <= cellMaxX; cellX++) {
			for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
				const key = cellX * CELL_KEY_STRIDE + cellZ;
				const bucket = this.cells.get(key);
				if (bucket) {
					bucket.push(entry);
				} else {
					this.cells.set(key, [entry]);
				}
			}
		}
	}

	private unlink(entry: Entry) {
		if (entry.oversized) {
			removeFromList(this.oversized, entry);
			return;
		}
		for (let cellX = entry.cellMinX; cellX <= entry.cellMaxX; cellX++) {
			for (let cellZ = entry.cellMinZ; cellZ <= entry.cellMaxZ; cellZ++) {
				const key = cellX * CELL_KEY_STRIDE + cellZ;
				const bucket = this.cells.get(key);
				if (!bucket) continue;
				removeFromList(bucket, entry);
				// Empty cells are dropped so memory follows what is placed, not where it has been.
				if (bucket.size() === 0) this.cells.delete(key);
			}
		}
	}
}

/**
 * A uniform grid over X/Z with square cells of `cellSize` studs. Each footprint is stored in
 * every cell it touches; a query visits only the cells its area touches. A cell size near the
 * typical query radius (or footprint size, whichever is larger) works well.
 */
export function createSpatialHash(cellSize: number): SpatialHash {
	assert(cellSize > 0 && cellSize < math.huge, "cellSize must be a positive finite number");
	return new GridSpatialHash(cellSize);
}

class LinearIndex implements SpatialHash {
	private readonly list: Entry[] = [];
	private readonly byId = new Map<string, Entry>();

	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number) {
		assertFootprint(minX, minZ, maxX, maxZ);
		const existing = this.byId.get(id);
		if (existing) {
			existing.minX = minX;
			existing.minZ = minZ;
			existing.maxX = maxX;
			existing.maxZ = maxZ;
			return;
		}
		const entry: Entry = {
			id,
			minX,
			minZ,
			maxX,
			maxZ,
			cellMinX: 0,
			cellMinZ: 0,
			cellMaxX: 0,
			cellMaxZ: 0,
			oversized: false,
			visitedBy: 0,
		};
		this.list.push(entry);
		this.byId.set(id, entry);
	}

	remove(id: string): boolean {
		const entry = this.byId.get(id);
		if (!entry) return false;
		this.byId.delete(id);
		removeFromList(this.list, entry);
		return true;
	}

	queryBox(minX: number, minZ: number, maxX: number, maxZ: number, out: string[]): string[] {
		out.clear();
		for (const entry of this.list) {
			if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out.push(entry.id);
		}
		return out.sort();
	}

	queryRadius(x: number, z: number, radius: number, out: string[]): string[] {
		out.clear();
		if (!(radius >= 0)) return out;
		const radiusSquared = radius * radius;
		for (const entry of this.list) {
			if (withinRadius(entry, x, z, radiusSquared)) out.push(entry.id);
		}
		return out.sort();
	}

	size(): number {
		return this.list.size();
	}

	clear() {
		this.list.clear();
		this.byId.clear();
	}
}

/**
 * The same interface as a plain list checked entry by entry: the baseline the spatial hash is
 * benchmarked against and the reference its randomized spec compares with.
 */
export function createLinearIndex(): SpatialHash {
	return new LinearIndex();
}
