//!native
import type { FootprintBox } from "shared/placement/footprint";

/**
 * Spatial indexes over the X/Z plane for axis-aligned footprints (placed objects seen from
 * above). Query results are sorted by id (string order), so the same index contents always
 * give the same list whatever order the ids were inserted in. An entry may carry a kind (the
 * placement tracker's item id) that counts can be limited to.
 */
export interface SpatialHash {
	/**
	 * Adds `id` with its footprint and kind, or moves it when it is already indexed (its kind
	 * then becomes `kind`, or none when omitted).
	 */
	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number, kind?: string): void;
	/** Removes `id`; false when it was not indexed. */
	remove(id: string): boolean;
	/**
	 * Ids whose footprints overlap the box strictly on both axes (footprint min < box max and
	 * box min < footprint max), so footprints that only touch its edges or corners are not
	 * included. Clears `out`, fills it sorted by id and returns it.
	 */
	queryBox(minX: number, minZ: number, maxX: number, maxZ: number, out: string[]): string[];
	/**
	 * Ids whose footprints come within `radius` of (x, z), measured from the point to the
	 * nearest point of the footprint (a footprint containing the point is at distance 0).
	 * Clears `out`, fills it sorted by id and returns it.
	 */
	queryRadius(x: number, z: number, radius: number, out: string[]): string[];
	/**
	 * How many ids `queryRadius` would list (only those inserted with `kind`, when given),
	 * counting no further than `limit` (it returns `limit` as soon as that many are found).
	 */
	countRadius(x: number, z: number, radius: number, limit: number, kind?: string): number;
	/**
	 * Both counts at once, as `countRadius(x, z, radius, limit)` and `countRadius(x, z, radius,
	 * kindLimit, kind)` would give them, in one pass over the cells; written into `into`.
	 */
	countRadiusAndKind(x: number, z: number, radius: number, limit: number, kind: string, kindLimit: number, into: RadiusCounts): RadiusCounts;
	/** `id`'s footprint as inserted, written into `into`; undefined when it is not indexed. */
	boundsOf(id: string, into: FootprintBox): FootprintBox | undefined;
	size(): number;
	clear(): void;
}

function boundsInto(entry: Entry | undefined, into: FootprintBox): FootprintBox | undefined {
	if (entry === undefined) return undefined;
	into.minX = entry.minX;
	into.minZ = entry.minZ;
	into.maxX = entry.maxX;
	into.maxZ = entry.maxZ;
	return into;
}

/** What {@link SpatialHash.countRadiusAndKind} found: every entry, and those of the kind. */
export interface RadiusCounts {
	all: number;
	ofKind: number;
}

interface Entry {
	/** Reassigned only when a removed entry is reused for another footprint (see GridSpatialHash.spare). */
	id: string;
	kind: string | undefined;
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
	/** Index in the dense list a scan of every footprint walks. */
	slot: number;
}

/**
 * One grid cell. Bounds are copied into a flat array beside the ids so a query reads
 * contiguous numbers instead of one table per footprint: at 100k footprints, chasing those
 * tables made queries about twice as slow.
 */
interface Cell {
	readonly ids: string[];
	/** Per id, in the same order: minX, minZ, maxX, maxZ, first cell X, first cell Z. */
	readonly bounds: number[];
	/** Per id, in the same order: its kind, or false when it has none. */
	readonly kinds: (string | false)[];
	/**
	 * Footprints whose first cell this is: a count query takes them all at once from a cell that
	 * lies wholly within its radius (every footprint touching such a cell is within it).
	 */
	homed: number;
	/**
	 * Per kind present here (created with the first kinded footprint): its records in this cell
	 * plus HOMED times its footprints homed here, one number so an insert updates one map entry
	 * per cell. A count of one kind skips cells without it, takes whole cells from the homed part
	 * and stops scanning a partial cell once it has seen every record of the kind.
	 */
	kindCounts: Map<string, number> | undefined;
}

const RECORD = 6;

/** Removed entries kept for reuse, at most (a mass removal frees the rest). */
const MAX_SPARE_ENTRIES = 256;
/** Emptied cells kept for reuse, at most. */
const MAX_SPARE_CELLS = 64;

/**
 * The unit of footprints homed in a cell within a kind count (see Cell.kindCounts). A cell holds
 * far fewer than 2^26 records, so the records part never reaches it and the sum stays exact.
 */
const HOMED = 67108864;

/** Two cell coordinates pack into one number key; within ±2^25 cells every key is exact and unique. */
const CELL_LIMIT = 33554432;
const CELL_KEY_STRIDE = CELL_LIMIT * 2;

/**
 * Footprints covering more cells than this are scanned by every query instead of being stored
 * in each cell, so one huge footprint (a baseplate) cannot flood the grid.
 */
const MAX_CELLS_PER_ENTRY = 256;

function newEntry(id: string, kind: string | undefined, minX: number, minZ: number, maxX: number, maxZ: number, slot: number): Entry {
	return { id, kind, minX, minZ, maxX, maxZ, cellMinX: 0, cellMinZ: 0, cellMaxX: 0, cellMaxZ: 0, oversized: false, slot };
}

function assertFootprint(minX: number, minZ: number, maxX: number, maxZ: number) {
	assert(minX <= maxX && minZ <= maxZ, "footprint needs min <= max on both axes (and no NaN)");
	assert(minX > -math.huge && maxX < math.huge && minZ > -math.huge && maxZ < math.huge, "footprint must be finite");
}

function overlapsBox(entry: Entry, minX: number, minZ: number, maxX: number, maxZ: number): boolean {
	return entry.minX < maxX && minX < entry.maxX && entry.minZ < maxZ && minZ < entry.maxZ;
}

/** An entry a count of `kind` includes: every entry when no kind is asked for. */
function ofKind(entry: Entry, kind: string | undefined): boolean {
	return kind === undefined || entry.kind === kind;
}

/** Adds the entries of `entries` within the radius to `into`'s counts, each up to its limit. */
function countEntries(entries: readonly Entry[], x: number, z: number, radiusSquared: number, limit: number, kind: string, kindLimit: number, into: RadiusCounts) {
	for (const entry of entries) {
		const allDone = into.all >= limit;
		const kindDone = into.ofKind >= kindLimit;
		if (allDone && kindDone) return;
		if (!withinRadius(entry, x, z, radiusSquared)) continue;
		if (!allDone) into.all += 1;
		if (!kindDone && entry.kind === kind) into.ofKind += 1;
	}
}

function withinRadius(entry: Entry, x: number, z: number, radiusSquared: number): boolean {
	const dx = x < entry.minX ? entry.minX - x : x > entry.maxX ? x - entry.maxX : 0;
	const dz = z < entry.minZ ? entry.minZ - z : z > entry.maxZ ? z - entry.maxZ : 0;
	return dx * dx + dz * dz <= radiusSquared;
}

/** A range of grid rows; empty when `from` > `to`. */
interface RowRange {
	from: number;
	to: number;
}

const NO_ROWS: Readonly<RowRange> = { from: 1, to: 0 };

/**
 * The rows of column `cellX` (after the first row, `cellMinZ`) whose cells lie wholly within a
 * radius of (x, z), given as `wholeCellSquared` (a hair inside its square); written into `into`.
 */
function wholeRows(x: number, z: number, cellX: number, cellMinZ: number, size: number, wholeCellSquared: number, into: RowRange): RowRange {
	into.from = 1;
	into.to = 0;
	const toLeft = x - cellX * size;
	const toRight = (cellX + 1) * size - x;
	const farX = toLeft > toRight ? toLeft : toRight;
	const room = wholeCellSquared - farX * farX;
	if (room > 0) {
		const reach = math.sqrt(room);
		into.from = math.max(math.ceil((z - reach) / size), cellMinZ + 1);
		into.to = math.floor((z + reach) / size) - 1;
	}
	return into;
}

/** Whether the footprint recorded at `base` in a cell's bounds comes within the radius of (x, z). */
function recordWithin(bounds: number[], base: number, x: number, z: number, radiusSquared: number): boolean {
	const entryMinX = bounds[base];
	const entryMinZ = bounds[base + 1];
	const entryMaxX = bounds[base + 2];
	const entryMaxZ = bounds[base + 3];
	const dx = x < entryMinX ? entryMinX - x : x > entryMaxX ? x - entryMaxX : 0;
	const dz = z < entryMinZ ? entryMinZ - z : z > entryMaxZ ? z - entryMaxZ : 0;
	return dx * dx + dz * dz <= radiusSquared;
}

function clampCell(cell: number): number {
	return math.clamp(cell, -CELL_LIMIT, CELL_LIMIT - 1);
}

function removeFromList(list: Entry[], entry: Entry) {
	const index = list.indexOf(entry);
	if (index >= 0) {
		// Order does not matter (results are sorted), so swap-remove.
		list[index] = list[list.size() - 1];
		list.pop();
	}
}

function addToCell(cell: Cell, entry: Entry, home: boolean) {
	const kind = entry.kind;
	if (home) cell.homed += 1;
	if (kind !== undefined) {
		let kindCounts = cell.kindCounts;
		if (kindCounts === undefined) {
			kindCounts = new Map();
			cell.kindCounts = kindCounts;
		}
		kindCounts.set(kind, (kindCounts.get(kind) ?? 0) + (home ? HOMED + 1 : 1));
	}
	const bounds = cell.bounds;
	const record = cell.ids.size();
	const base = record * RECORD;
	cell.ids.push(entry.id);
	cell.kinds[record] = kind ?? false;
	bounds[base] = entry.minX;
	bounds[base + 1] = entry.minZ;
	bounds[base + 2] = entry.maxX;
	bounds[base + 3] = entry.maxZ;
	bounds[base + 4] = entry.cellMinX;
	bounds[base + 5] = entry.cellMinZ;
}

function removeFromCell(cell: Cell, id: string, home: boolean) {
	const ids = cell.ids;
	const bounds = cell.bounds;
	const kinds = cell.kinds;
	const index = ids.indexOf(id);
	if (index < 0) return;
	if (home) cell.homed -= 1;
	const kind = kinds[index];
	const kindCounts = cell.kindCounts;
	if (kind !== false && kindCounts !== undefined) {
		const left = (kindCounts.get(kind) ?? 0) - (home ? HOMED + 1 : 1);
		// Kinds gone from a cell are forgotten, so its map holds only what is placed there now.
		if (left > 0) kindCounts.set(kind, left);
		else kindCounts.delete(kind);
	}
	const last = ids.size() - 1;
	ids[index] = ids[last];
	ids.pop();
	kinds[index] = kinds[last];
	kinds.pop();
	for (let offset = 0; offset < RECORD; offset++) {
		bounds[index * RECORD + offset] = bounds[last * RECORD + offset];
	}
	for (let offset = 0; offset < RECORD; offset++) {
		bounds.pop();
	}
}

class GridSpatialHash implements SpatialHash {
	private readonly entries = new Map<string, Entry>();
	private readonly cells = new Map<number, Cell>();
	private readonly oversized: Entry[] = [];
	private count = 0;
	/**
	 * Every entry, densely: a scan of every footprint walks this, not the map (a Luau table keeps
	 * its capacity after removals, so after churn walking the map visits every dead slot too).
	 */
	private readonly list: Entry[] = [];
	/** Scratch for wholeRows and countRadius: a count makes no table. */
	private readonly rows: RowRange = { from: 1, to: 0 };
	private readonly counts: RadiusCounts = { all: 0, ofKind: 0 };
	/** Entries of removed footprints, reused by the next inserts: placing and removing makes no table. */
	private readonly spare: Entry[] = [];
	/** Cells dropped once empty, reused (with their lists' capacity) by the next cells made. */
	private readonly spareCells: Cell[] = [];

	constructor(private readonly cellSize: number) {}

	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number, kind?: string) {
		assertFootprint(minX, minZ, maxX, maxZ);
		let entry = this.entries.get(id);
		if (entry) {
			this.unlink(entry);
		} else {
			entry = this.spare.pop();
			if (entry !== undefined) {
				entry.id = id;
				entry.oversized = false;
				entry.slot = this.list.size();
			} else {
				entry = newEntry(id, kind, minX, minZ, maxX, maxZ, this.list.size());
			}
			this.entries.set(id, entry);
			this.list.push(entry);
			this.count += 1;
		}
		entry.kind = kind;
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
		const last = this.list.pop()!;
		if (last !== entry) {
			this.list[entry.slot] = last;
			last.slot = entry.slot;
		}
		this.count -= 1;
		if (this.spare.size() < MAX_SPARE_ENTRIES) this.spare.push(entry);
		return true;
	}

	queryBox(minX: number, minZ: number, maxX: number, maxZ: number, out: string[]): string[] {
		out.clear();
		const size = this.cellSize;
		const cellMinX = clampCell(math.floor(minX / size));
		const cellMaxX = clampCell(math.floor(maxX / size));
		const cellMinZ = clampCell(math.floor(minZ / size));
		const cellMaxZ = clampCell(math.floor(maxZ / size));
		if (this.cheaperToScanAll(cellMinX, cellMinZ, cellMaxX, cellMaxZ)) {
			for (const entry of this.list) {
				if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out[out.size()] = entry.id;
			}
			return out.sort();
		}
		let found = 0;
		for (let cellX = cellMinX; cellX <= cellMaxX; cellX++) {
			for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
				const cell = this.cells.get(cellX * CELL_KEY_STRIDE + cellZ);
				if (!cell) continue;
				const ids = cell.ids;
				const bounds = cell.bounds;
				const firstColumn = cellX === cellMinX;
				const firstRow = cellZ === cellMinZ;
				const records = ids.size();
				for (let record = 0; record < records; record++) {
					const base = record * RECORD;
					// A footprint in several cells is only checked in the first of them this query visits.
					if (!(firstColumn || bounds[base + 4] === cellX) || !(firstRow || bounds[base + 5] === cellZ)) continue;
					if (bounds[base] < maxX && minX < bounds[base + 2] && bounds[base + 1] < maxZ && minZ < bounds[base + 3]) {
						out[found] = ids[record];
						found += 1;
					}
				}
			}
		}
		for (const entry of this.oversized) {
			if (overlapsBox(entry, minX, minZ, maxX, maxZ)) out[out.size()] = entry.id;
		}
		return out.sort();
	}

	queryRadius(x: number, z: number, radius: number, out: string[]): string[] {
		out.clear();
		if (!(radius >= 0)) return out;
		const radiusSquared = radius * radius;
		const size = this.cellSize;
		const cellMinX = clampCell(math.floor((x - radius) / size));
		const cellMaxX = clampCell(math.floor((x + radius) / size));
		const cellMinZ = clampCell(math.floor((z - radius) / size));
		const cellMaxZ = clampCell(math.floor((z + radius) / size));
		if (this.cheaperToScanAll(cellMinX, cellMinZ, cellMaxX, cellMaxZ)) {
			for (const entry of this.list) {
				if (withinRadius(entry, x, z, radiusSquared)) out[out.size()] = entry.id;
			}
			return out.sort();
		}
		let found = 0;
		for (let cellX = cellMinX; cellX <= cellMaxX; cellX++) {
			for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
				const cell = this.cells.get(cellX * CELL_KEY_STRIDE + cellZ);
				if (!cell) continue;
				const ids = cell.ids;
				const bounds = cell.bounds;
				const firstColumn = cellX === cellMinX;
				const firstRow = cellZ === cellMinZ;
				const records = ids.size();
				for (let record = 0; record < records; record++) {
					const base = record * RECORD;
					if (!(firstColumn || bounds[base + 4] === cellX) || !(firstRow || bounds[base + 5] === cellZ)) continue;
					if (recordWithin(bounds, base, x, z, radiusSquared)) {
						out[found] = ids[record];
						found += 1;
					}
				}
			}
		}
		for (const entry of this.oversized) {
			if (withinRadius(entry, x, z, radiusSquared)) out[out.size()] = entry.id;
		}
		return out.sort();
	}

	countRadius(x: number, z: number, radius: number, limit: number, kind?: string): number {
		// One pass serves both counts: the one not asked for has a limit of 0, so it is never counted.
		if (kind === undefined) return this.countRadiusAndKind(x, z, radius, limit, "", 0, this.counts).all;
		return this.countRadiusAndKind(x, z, radius, 0, kind, limit, this.counts).ofKind;
	}

	countRadiusAndKind(x: number, z: number, radius: number, limit: number, kind: string, kindLimit: number, into: RadiusCounts): RadiusCounts {
		into.all = 0;
		into.ofKind = 0;
		if (!(radius >= 0)) return into;
		let all = 0;
		let kindFound = 0;
		let allDone = limit <= 0;
		let kindDone = kindLimit <= 0;
		const radiusSquared = radius * radius;
		const wholeCellSquared = radiusSquared * 0.999999;
		const size = this.cellSize;
		const cellMinX = clampCell(math.floor((x - radius) / size));
		const cellMaxX = clampCell(math.floor((x + radius) / size));
		const cellMinZ = clampCell(math.floor((z - radius) / size));
		const cellMaxZ = clampCell(math.floor((z + radius) / size));
		if (this.cheaperToScanAll(cellMinX, cellMinZ, cellMaxX, cellMaxZ)) {
			countEntries(this.list, x, z, radiusSquared, limit, kind, kindLimit, into);
		} else {
			for (let cellX = cellMinX; cellX <= cellMaxX && !(allDone && kindDone); cellX++) {
				const firstColumn = cellX === cellMinX;
				// The rows of this column whose cells lie wholly within the radius (see wholeRows): every
				// footprint touching such a cell is within it, so the cell's homed footprints count at
				// once, no record read. The first column and row are scanned record by record: a footprint
				// homed outside the query's cells is counted in the first of them it touches.
				const rows = firstColumn ? NO_ROWS : wholeRows(x, z, cellX, cellMinZ, size, wholeCellSquared, this.rows);
				const wholeFrom = rows.from;
				const wholeTo = rows.to;
				for (let cellZ = cellMinZ; cellZ <= cellMaxZ; cellZ++) {
					const cell = this.cells.get(cellX * CELL_KEY_STRIDE + cellZ);
					if (!cell) continue;
					const kindCount = kindDone ? undefined : cell.kindCounts?.get(kind);
					if (allDone && kindCount === undefined) continue;
					if (cellZ >= wholeFrom && cellZ <= wholeTo) {
						if (!allDone) {
							all += cell.homed;
							if (all >= limit) allDone = true;
						}
						if (kindCount !== undefined) {
							kindFound += (kindCount - (kindCount % HOMED)) / HOMED;
							if (kindFound >= kindLimit) kindDone = true;
						}
						if (allDone && kindDone) break;
						continue;
					}
					const firstRow = cellZ === cellMinZ;
					const bounds = cell.bounds;
					const kinds = cell.kinds;
					const records = cell.ids.size();
					if (allDone) {
						// Only the kind is still counted: its records here, and no further once all are seen.
						let ofKindLeft = kindCount! % HOMED;
						for (let record = 0; record < records && ofKindLeft > 0; record++) {
							if (kinds[record] !== kind) continue;
							ofKindLeft -= 1;
							const base = record * RECORD;
							if (!(firstColumn || bounds[base + 4] === cellX) || !(firstRow || bounds[base + 5] === cellZ)) continue;
							if (recordWithin(bounds, base, x, z, radiusSquared) && ++kindFound >= kindLimit) {
								kindDone = true;
								break;
							}
						}
						if (kindDone) break;
						continue;
					}
					const countKind = kindCount !== undefined;
					for (let record = 0; record < records; record++) {
						const base = record * RECORD;
						if (!(firstColumn || bounds[base + 4] === cellX) || !(firstRow || bounds[base + 5] === cellZ)) continue;
						if (!recordWithin(bounds, base, x, z, radiusSquared)) continue;
						if (!allDone && ++all >= limit) allDone = true;
						if (countKind && !kindDone && kinds[record] === kind && ++kindFound >= kindLimit) kindDone = true;
						if (allDone && (kindDone || !countKind)) break;
					}
					if (allDone && kindDone) break;
				}
			}
			into.all = all;
			into.ofKind = kindFound;
			countEntries(this.oversized, x, z, radiusSquared, limit, kind, kindLimit, into);
		}
		into.all = math.min(into.all, math.max(limit, 0));
		into.ofKind = math.min(into.ofKind, math.max(kindLimit, 0));
		return into;
	}

	boundsOf(id: string, into: FootprintBox): FootprintBox | undefined {
		return boundsInto(this.entries.get(id), into);
	}

	size(): number {
		return this.count;
	}

	clear() {
		this.entries.clear();
		this.list.clear();
		this.cells.clear();
		this.oversized.clear();
		this.count = 0;
	}

	/** A query covering more cells than there are footprints is cheaper as a scan of every footprint. */
	private cheaperToScanAll(cellMinX: number, cellMinZ: number, cellMaxX: number, cellMaxZ: number): boolean {
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
				let cell = this.cells.get(key);
				if (!cell) {
					cell = this.spareCells.pop() ?? { ids: [], bounds: [], kinds: [], homed: 0, kindCounts: undefined };
					this.cells.set(key, cell);
				}
				addToCell(cell, entry, cellX === cellMinX && cellZ === cellMinZ);
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
				const cell = this.cells.get(key);
				if (!cell) continue;
				removeFromCell(cell, entry.id, cellX === entry.cellMinX && cellZ === entry.cellMinZ);
				// Empty cells are dropped so memory follows what is placed, not where it has been (a few
				// are kept for reuse: an empty cell holds no records, homed footprints or kinds).
				if (cell.ids.size() === 0) {
					this.cells.delete(key);
					if (this.spareCells.size() < MAX_SPARE_CELLS) this.spareCells.push(cell);
				}
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

	insert(id: string, minX: number, minZ: number, maxX: number, maxZ: number, kind?: string) {
		assertFootprint(minX, minZ, maxX, maxZ);
		const existing = this.byId.get(id);
		if (existing) {
			existing.kind = kind;
			existing.minX = minX;
			existing.minZ = minZ;
			existing.maxX = maxX;
			existing.maxZ = maxZ;
			return;
		}
		const entry = newEntry(id, kind, minX, minZ, maxX, maxZ, 0);
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
		let found = 0;
		for (const entry of this.list) {
			if (entry.minX < maxX && minX < entry.maxX && entry.minZ < maxZ && minZ < entry.maxZ) {
				out[found] = entry.id;
				found += 1;
			}
		}
		return out.sort();
	}

	queryRadius(x: number, z: number, radius: number, out: string[]): string[] {
		out.clear();
		if (!(radius >= 0)) return out;
		const radiusSquared = radius * radius;
		let found = 0;
		for (const entry of this.list) {
			const dx = x < entry.minX ? entry.minX - x : x > entry.maxX ? x - entry.maxX : 0;
			const dz = z < entry.minZ ? entry.minZ - z : z > entry.maxZ ? z - entry.maxZ : 0;
			if (dx * dx + dz * dz <= radiusSquared) {
				out[found] = entry.id;
				found += 1;
			}
		}
		return out.sort();
	}

	countRadius(x: number, z: number, radius: number, limit: number, kind?: string): number {
		if (!(radius >= 0) || limit <= 0) return 0;
		const radiusSquared = radius * radius;
		let found = 0;
		for (const entry of this.list) {
			if (ofKind(entry, kind) && withinRadius(entry, x, z, radiusSquared) && ++found >= limit) return found;
		}
		return found;
	}

	countRadiusAndKind(x: number, z: number, radius: number, limit: number, kind: string, kindLimit: number, into: RadiusCounts): RadiusCounts {
		into.all = this.countRadius(x, z, radius, limit);
		into.ofKind = this.countRadius(x, z, radius, kindLimit, kind);
		return into;
	}

	boundsOf(id: string, into: FootprintBox): FootprintBox | undefined {
		return boundsInto(this.byId.get(id), into);
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
