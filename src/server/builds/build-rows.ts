import { StoredPlacement } from "server/player-data/player-data";
import { PlacementConfig } from "shared/config/placement-config";

/**
 * One placement as a fixed-width binary row (29 bytes):
 * id as 16 raw bytes | item index u16 | x, y, z in grid units i16 | rotation in steps u8 | placedAt u32.
 */
export const ROW_BYTES = 29;
const TWO_POW_32 = 4294967296;

const H = "[0-9A-F]";
const GUID_PATTERN = `^${H.rep(8)}%-${H.rep(4)}%-${H.rep(4)}%-${H.rep(4)}%-${H.rep(12)}$`;

/** Whether `id` is an upper-case GUID, as HttpService:GenerateGUID(false) makes them. */
export function isGuid(id: string): boolean {
	return id.size() === 36 && string.find(id, GUID_PATTERN)[0] !== undefined;
}

/** Writes a GUID (`XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, upper case) as 16 raw bytes; false when `id` is not one. */
export function writeGuid(target: buffer, offset: number, id: string): boolean {
	if (!isGuid(id)) return false;
	writeGuidUnchecked(target, offset, id);
	return true;
}

function writeGuidUnchecked(target: buffer, offset: number, id: string) {
	buffer.writeu32(target, offset, tonumber(id.sub(1, 8), 16)!);
	buffer.writeu32(target, offset + 4, tonumber(id.sub(10, 13) + id.sub(15, 18), 16)!);
	buffer.writeu32(target, offset + 8, tonumber(id.sub(20, 23) + id.sub(25, 28), 16)!);
	buffer.writeu32(target, offset + 12, tonumber(id.sub(29, 36), 16)!);
}

/**
 * Local aliases: the decode loop calls these hundreds of thousands of times, and a module run in
 * a custom environment (as the headless engine loads it) pays a global lookup on every
 * `buffer.x` access.
 */
const readu32 = buffer.readu32;
const readu8 = buffer.readu8;

/** Two upper-case hex digits for each byte value. */
const HEX_BYTE: string[] = [];
for (let value = 0; value < 256; value++) HEX_BYTE[value] = string.format("%02X", value);

/**
 * The GUID text of the four little-endian words of a row's id, built from the byte table by one
 * concatenation (no string.format, no calls): the restore decodes tens of thousands of these.
 */
function guidText(w0: number, w1: number, w2: number, w3: number): string {
	const H = HEX_BYTE;
	const a0 = w0 % 256;
	const a1 = ((w0 - a0) / 256) % 256;
	const a2 = ((w0 - (w0 % 65536)) / 65536) % 256;
	const a3 = (w0 - (w0 % 16777216)) / 16777216;
	const b0 = w1 % 256;
	const b1 = ((w1 - b0) / 256) % 256;
	const b2 = ((w1 - (w1 % 65536)) / 65536) % 256;
	const b3 = (w1 - (w1 % 16777216)) / 16777216;
	const c0 = w2 % 256;
	const c1 = ((w2 - c0) / 256) % 256;
	const c2 = ((w2 - (w2 % 65536)) / 65536) % 256;
	const c3 = (w2 - (w2 % 16777216)) / 16777216;
	const d0 = w3 % 256;
	const d1 = ((w3 - d0) / 256) % 256;
	const d2 = ((w3 - (w3 % 65536)) / 65536) % 256;
	const d3 = (w3 - (w3 % 16777216)) / 16777216;
	return (
		H[a3] + H[a2] + H[a1] + H[a0] + "-" + H[b3] + H[b2] + "-" + H[b1] + H[b0] + "-" + H[c3] + H[c2] + "-" + H[c1] + H[c0] + H[d3] + H[d2] + H[d1] + H[d0]
	);
}

export function readGuid(source: buffer, offset: number): string {
	return guidText(readu32(source, offset), readu32(source, offset + 4), readu32(source, offset + 8), readu32(source, offset + 12));
}

function gridUnits(value: number): number | undefined {
	const units = value / PlacementConfig.gridSize;
	return units % 1 === 0 && units >= -32768 && units <= 32767 ? units : undefined;
}

/** Whether a placement fits a row exactly (every placement the game makes does). */
export function fitsRow(placement: StoredPlacement): boolean {
	const steps = placement.rotation / PlacementConfig.rotationStep;
	return (
		gridUnits(placement.x) !== undefined &&
		gridUnits(placement.y) !== undefined &&
		gridUnits(placement.z) !== undefined &&
		steps % 1 === 0 &&
		steps >= 0 &&
		steps < 256 &&
		placement.placedAt % 1 === 0 &&
		placement.placedAt >= 0 &&
		placement.placedAt < TWO_POW_32 &&
		isGuid(placement.id)
	);
}

/** Writes one row at `offset`; the placement must fit (see fitsRow). */
export function writeRow(target: buffer, offset: number, placement: StoredPlacement, item: number) {
	writeGuidUnchecked(target, offset, placement.id);
	buffer.writeu16(target, offset + 16, item);
	buffer.writei16(target, offset + 18, placement.x / PlacementConfig.gridSize);
	buffer.writei16(target, offset + 20, placement.y / PlacementConfig.gridSize);
	buffer.writei16(target, offset + 22, placement.z / PlacementConfig.gridSize);
	buffer.writeu8(target, offset + 24, placement.rotation / PlacementConfig.rotationStep);
	buffer.writeu32(target, offset + 25, placement.placedAt);
}

export function readRow(source: buffer, offset: number, items: readonly string[]): StoredPlacement | undefined {
	const itemId = items[buffer.readu16(source, offset + 16)];
	if (itemId === undefined) return undefined;
	return {
		id: readGuid(source, offset),
		itemId,
		x: buffer.readi16(source, offset + 18) * PlacementConfig.gridSize,
		y: buffer.readi16(source, offset + 20) * PlacementConfig.gridSize,
		z: buffer.readi16(source, offset + 22) * PlacementConfig.gridSize,
		rotation: buffer.readu8(source, offset + 24) * PlacementConfig.rotationStep,
		placedAt: buffer.readu32(source, offset + 25),
	};
}

/**
 * A row's 32-bit hash: its seven words and last byte times distinct odd constants below 2^17,
 * summed (exact in a double: each product is below 2^49), modulo 2^32. Any change to one word
 * changes the hash. Sums of row hashes make a build's checksum order-free, so adding or removing
 * a row updates it in O(1).
 */
export function rowHash(source: buffer, offset: number): number {
	return (
		(buffer.readu32(source, offset) * 0x1a7b5 +
			buffer.readu32(source, offset + 4) * 0x13c6f +
			buffer.readu32(source, offset + 8) * 0x1d2e3 +
			buffer.readu32(source, offset + 12) * 0x10a95 +
			buffer.readu32(source, offset + 16) * 0x1f4a1 +
			buffer.readu32(source, offset + 20) * 0x16c3d +
			buffer.readu32(source, offset + 24) * 0x11b57 +
			buffer.readu8(source, offset + 28) * 0x1e9f9) %
		TWO_POW_32
	);
}

/**
 * Decodes `count` rows into `out` and returns their checksum, reading each row's words once (the
 * restore path). Returns undefined when a row names an item outside `items`. Every field comes
 * out of the words by arithmetic, and the id by guidText, so a row costs eight reads and two
 * allocations (its id and its table).
 */
export function decodeRows(source: buffer, offset: number, count: number, items: readonly string[], out: StoredPlacement[]): number | undefined {
	const grid = PlacementConfig.gridSize;
	const step = PlacementConfig.rotationStep;
	let sum = 0;
	for (let index = 0; index < count; index++) {
		const at = offset + index * ROW_BYTES;
		const w0 = readu32(source, at);
		const w1 = readu32(source, at + 4);
		const w2 = readu32(source, at + 8);
		const w3 = readu32(source, at + 12);
		const w4 = readu32(source, at + 16);
		const w5 = readu32(source, at + 20);
		const w6 = readu32(source, at + 24);
		const last = readu8(source, at + 28);
		sum = (sum + ((w0 * 0x1a7b5 + w1 * 0x13c6f + w2 * 0x1d2e3 + w3 * 0x10a95 + w4 * 0x1f4a1 + w5 * 0x16c3d + w6 * 0x11b57 + last * 0x1e9f9) % TWO_POW_32)) % TWO_POW_32;
		const itemId = items[w4 % 65536];
		if (itemId === undefined) return undefined;
		const x = (w4 - (w4 % 65536)) / 65536;
		const y = w5 % 65536;
		const z = (w5 - y) / 65536;
		const steps = w6 % 256;
		out[index] = {
			id: guidText(w0, w1, w2, w3),
			itemId,
			x: (x >= 32768 ? x - 65536 : x) * grid,
			y: (y >= 32768 ? y - 65536 : y) * grid,
			z: (z >= 32768 ? z - 65536 : z) * grid,
			rotation: steps * step,
			placedAt: (w6 - steps) / 256 + last * 16777216,
		};
	}
	return sum;
}

/** The order-free checksum of `count` rows starting at `offset`. */
export function rowsChecksum(source: buffer, offset: number, count: number): number {
	let sum = 0;
	for (let index = 0; index < count; index++) sum = (sum + rowHash(source, offset + index * ROW_BYTES)) % TWO_POW_32;
	return sum;
}

/** A build's rows as a backup takes them: an exact-length copy, its items and checksum. */
export interface RowsSnapshot {
	readonly rows: buffer;
	readonly count: number;
	readonly items: readonly string[];
	readonly checksum: number;
}

/**
 * A loaded build kept as fixed-width binary rows, updated on every place and remove (removal
 * moves the last row into the gap), with its checksum kept up to date the same way. A build with
 * a placement that does not fit a row (none the game makes) is marked not exact and its
 * backups fall back to encoding the placements.
 */
export class BuildRows {
	private data = buffer.create(ROW_BYTES * 16);
	private count = 0;
	private readonly slots = new Map<string, number>();
	private readonly ids: string[] = [];
	private readonly items: string[] = [];
	private readonly itemIndex = new Map<string, number>();
	private sum = 0;
	private unfit = 0;

	constructor(placements: readonly StoredPlacement[] = []) {
		for (const placement of placements) this.add(placement);
	}

	/** False once any placement did not fit a row. */
	isExact(): boolean {
		return this.unfit === 0;
	}

	size(): number {
		return this.count;
	}

	checksum(): number {
		return this.sum;
	}

	add(placement: StoredPlacement) {
		if (this.slots.has(placement.id)) this.remove(placement.id);
		if (!fitsRow(placement)) {
			this.unfit += 1;
			this.slots.set(placement.id, -1);
			return;
		}
		if ((this.count + 1) * ROW_BYTES > buffer.len(this.data)) {
			const grown = buffer.create(buffer.len(this.data) * 2);
			buffer.copy(grown, 0, this.data, 0, this.count * ROW_BYTES);
			this.data = grown;
		}
		const offset = this.count * ROW_BYTES;
		writeRow(this.data, offset, placement, this.indexOfItem(placement.itemId));
		this.sum = (this.sum + rowHash(this.data, offset)) % TWO_POW_32;
		this.slots.set(placement.id, this.count);
		this.ids[this.count] = placement.id;
		this.count += 1;
	}

	remove(id: string) {
		const slot = this.slots.get(id);
		if (slot === undefined) return;
		this.slots.delete(id);
		if (slot === -1) {
			this.unfit -= 1;
			return;
		}
		this.sum = (this.sum - rowHash(this.data, slot * ROW_BYTES) + TWO_POW_32) % TWO_POW_32;
		const last = this.count - 1;
		if (slot !== last) {
			buffer.copy(this.data, slot * ROW_BYTES, this.data, last * ROW_BYTES, ROW_BYTES);
			const moved = this.ids[last];
			this.ids[slot] = moved;
			this.slots.set(moved, slot);
		}
		this.ids.remove(last);
		this.count = last;
	}

	/** The ids of the rows, in row order (a copy). */
	idList(): string[] {
		return [...this.ids];
	}

	snapshot(): RowsSnapshot {
		const rows = buffer.create(this.count * ROW_BYTES);
		buffer.copy(rows, 0, this.data, 0, this.count * ROW_BYTES);
		return { rows, count: this.count, items: [...this.items], checksum: this.sum };
	}

	private indexOfItem(itemId: string): number {
		let index = this.itemIndex.get(itemId);
		if (index === undefined) {
			index = this.items.size();
			this.items.push(itemId);
			this.itemIndex.set(itemId, index);
		}
		return index;
	}
}
