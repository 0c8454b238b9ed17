//!native
import { StoredPlacement } from "server/player-data/player-data";
import { PlacementConfig } from "shared/config/placement-config";

/**
 * One placement as a fixed-width binary row (29 bytes):
 * id as 16 raw bytes | item index u16 | x, y, z in grid units i16 | rotation in steps u8 | placedAt u32.
 */
export const ROW_BYTES = 29;
const TWO_POW_32 = 4294967296;

/**
 * Local aliases: the row loops call these hundreds of thousands of times, and a module run in
 * a custom environment (as the headless engine loads it) pays a global lookup on every
 * `buffer.x` access.
 */
const readu32 = buffer.readu32;
const writeu32 = buffer.writeu32;
const writeu8 = buffer.writeu8;
const readstring = buffer.readstring;
const byteOf = string.byte;
/** Where isGuid and fitsRow write what they only check. */
const SCRATCH = buffer.create(ROW_BYTES);


/** Whether `id` is an upper-case GUID, as HttpService:GenerateGUID(false) makes them. */
export function isGuid(id: string): boolean {
	return writeGuidWords(SCRATCH, 0, id) !== undefined;
}

/** Writes a GUID (`XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, upper case) as 16 raw bytes; false when `id` is not one. */
export function writeGuid(target: buffer, offset: number, id: string): boolean {
	return writeGuidWords(target, offset, id) !== undefined;
}

/**
 * Two upper-case hex digits for each byte value. A Map so the lookup compiles to a plain index
 * (an array would add one to every index).
 */
const HEX_BYTE = new Map<number, string>();
for (let value = 0; value < 256; value++) HEX_BYTE.set(value, string.format("%02X", value));

/** Above any 32-bit word even as one digit: a word with a non-digit character comes out at least this. */
const NOT_A_DIGIT = 2 ** 40;
/** The value of each upper-case hex digit by character code; NOT_A_DIGIT for every other code (lower case included). */
const DIGIT_VALUE = new Map<number, number>();
for (let code = 0; code < 256; code++) DIGIT_VALUE.set(code, NOT_A_DIGIT);
for (let digit = 0; digit < 16; digit++) DIGIT_VALUE.set(string.byte("0123456789ABCDEF", digit + 1)[0], digit);
const DASH = 45;

/**
 * Writes an upper-case GUID's 16 bytes as four words (the first eight digits are the first
 * word, and so on) and returns their part of the row hash (see rowHash); writes nothing and
 * returns undefined when `id` is not one. One string.byte call and a table lookup per digit:
 * no pattern, no substrings, no tonumber.
 */
function writeGuidWords(target: buffer, offset: number, id: string): number | undefined {
	if (id.size() !== 36) return undefined;
	const V = DIGIT_VALUE;
	const [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36] = byteOf(id, 1, 36);
	if (c9 !== DASH || c14 !== DASH || c19 !== DASH || c24 !== DASH) return undefined;
	const w0 = ((((((V.get(c1)! * 16 + V.get(c2)!) * 16 + V.get(c3)!) * 16 + V.get(c4)!) * 16 + V.get(c5)!) * 16 + V.get(c6)!) * 16 + V.get(c7)!) * 16 + V.get(c8)!;
	const w1 = ((((((V.get(c10)! * 16 + V.get(c11)!) * 16 + V.get(c12)!) * 16 + V.get(c13)!) * 16 + V.get(c15)!) * 16 + V.get(c16)!) * 16 + V.get(c17)!) * 16 + V.get(c18)!;
	const w2 = ((((((V.get(c20)! * 16 + V.get(c21)!) * 16 + V.get(c22)!) * 16 + V.get(c23)!) * 16 + V.get(c25)!) * 16 + V.get(c26)!) * 16 + V.get(c27)!) * 16 + V.get(c28)!;
	const w3 = ((((((V.get(c29)! * 16 + V.get(c30)!) * 16 + V.get(c31)!) * 16 + V.get(c32)!) * 16 + V.get(c33)!) * 16 + V.get(c34)!) * 16 + V.get(c35)!) * 16 + V.get(c36)!;
	if (w0 >= TWO_POW_32 || w1 >= TWO_POW_32 || w2 >= TWO_POW_32 || w3 >= TWO_POW_32) return undefined;
	writeu32(target, offset, w0);
	writeu32(target, offset + 4, w1);
	writeu32(target, offset + 8, w2);
	writeu32(target, offset + 12, w3);
	return w0 * 0x1a7b5 + w1 * 0x13c6f + w2 * 0x1d2e3 + w3 * 0x10a95;
}

/** The GUID text of 16 id bytes in row order (each word little-endian), by one concatenation. */
function guidOfBytes(
	b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number,
	b8: number, b9: number, b10: number, b11: number, b12: number, b13: number, b14: number, b15: number,
): string {
	const H = HEX_BYTE;
	return (
		H.get(b3)! + H.get(b2)! + H.get(b1)! + H.get(b0)! + "-" + H.get(b7)! + H.get(b6)! + "-" + H.get(b5)! + H.get(b4)! + "-" +
		H.get(b11)! + H.get(b10)! + "-" + H.get(b9)! + H.get(b8)! + H.get(b15)! + H.get(b14)! + H.get(b13)! + H.get(b12)!
	);
}

export function readGuid(source: buffer, offset: number): string {
	const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15] = byteOf(readstring(source, offset, 16), 1, 16);
	return guidOfBytes(b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15);
}

/** Whether a placement fits a row exactly (every placement the game makes does). */
export function fitsRow(placement: StoredPlacement): boolean {
	return writeRow(SCRATCH, 0, placement, 0) !== undefined;
}

/**
 * Writes one row at `offset` and returns its hash (see rowHash), or undefined, writing nothing,
 * when the placement does not fit a row. The row is written as seven words and a byte, and
 * hashed from those words (nothing is read back); the checks are inline (no call per field).
 */
export function writeRow(target: buffer, offset: number, placement: StoredPlacement, item: number): number | undefined {
	const grid = PlacementConfig.gridSize;
	let x = placement.x / grid;
	let y = placement.y / grid;
	let z = placement.z / grid;
	const steps = placement.rotation / PlacementConfig.rotationStep;
	const placedAt = placement.placedAt;
	// NaN fails every comparison, and infinities are not whole.
	if (!(x % 1 === 0 && x >= -32768 && x <= 32767 && y % 1 === 0 && y >= -32768 && y <= 32767 && z % 1 === 0 && z >= -32768 && z <= 32767)) return undefined;
	if (!(steps % 1 === 0 && steps >= 0 && steps < 256 && placedAt % 1 === 0 && placedAt >= 0 && placedAt < TWO_POW_32)) return undefined;
	if (x < 0) x += 65536;
	if (y < 0) y += 65536;
	if (z < 0) z += 65536;
	const idHash = writeGuidWords(target, offset, placement.id);
	if (idHash === undefined) return undefined;
	const low = placedAt % 16777216;
	const w4 = item + x * 65536;
	const w5 = y + z * 65536;
	const w6 = steps + low * 256;
	const last = (placedAt - low) / 16777216;
	writeu32(target, offset + 16, w4);
	writeu32(target, offset + 20, w5);
	writeu32(target, offset + 24, w6);
	writeu8(target, offset + 28, last);
	return (idHash + w4 * 0x1f4a1 + w5 * 0x16c3d + w6 * 0x11b57 + last * 0x1e9f9) % TWO_POW_32;
}

export function readRow(source: buffer, offset: number, items: readonly string[]): StoredPlacement | undefined {
	const out: StoredPlacement[] = [];
	return decodeRows(source, offset, 1, items, out) === undefined ? undefined : out[0];
}

const WORD_FACTORS = [0x1a7b5, 0x13c6f, 0x1d2e3, 0x10a95, 0x1f4a1, 0x16c3d, 0x11b57];
const LAST_FACTOR = 0x1e9f9;

/**
 * A row's 32-bit hash: its seven words and last byte times distinct odd constants below 2^17,
 * summed (exact in a double: each product is below 2^49), modulo 2^32. Any change to one word
 * changes the hash. Sums of row hashes make a build's checksum order-free, so adding or removing
 * a row updates it in O(1).
 */
export function rowHash(source: buffer, offset: number): number {
	return (
		(readu32(source, offset) * 0x1a7b5 +
			readu32(source, offset + 4) * 0x13c6f +
			readu32(source, offset + 8) * 0x1d2e3 +
			readu32(source, offset + 12) * 0x10a95 +
			readu32(source, offset + 16) * 0x1f4a1 +
			readu32(source, offset + 20) * 0x16c3d +
			readu32(source, offset + 24) * 0x11b57 +
			buffer.readu8(source, offset + 28) * LAST_FACTOR) %
		TWO_POW_32
	);
}

/**
 * The same hash by byte: byte j of word k weighs WORD_FACTORS[k] * 256^j, taken modulo 2^32
 * (the sum is unchanged modulo 2^32, and each term stays below 2^40, the sum below 2^45).
 */
const BYTE_FACTORS: number[] = [];
for (let word = 0; word < 7; word++) for (let byte = 0; byte < 4; byte++) BYTE_FACTORS.push((WORD_FACTORS[word] * 256 ** byte) % TWO_POW_32);
BYTE_FACTORS.push(LAST_FACTOR);
const [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18, f19, f20, f21, f22, f23, f24, f25, f26, f27, f28] = [
	BYTE_FACTORS[0], BYTE_FACTORS[1], BYTE_FACTORS[2], BYTE_FACTORS[3], BYTE_FACTORS[4], BYTE_FACTORS[5], BYTE_FACTORS[6], BYTE_FACTORS[7],
	BYTE_FACTORS[8], BYTE_FACTORS[9], BYTE_FACTORS[10], BYTE_FACTORS[11], BYTE_FACTORS[12], BYTE_FACTORS[13], BYTE_FACTORS[14], BYTE_FACTORS[15],
	BYTE_FACTORS[16], BYTE_FACTORS[17], BYTE_FACTORS[18], BYTE_FACTORS[19], BYTE_FACTORS[20], BYTE_FACTORS[21], BYTE_FACTORS[22], BYTE_FACTORS[23],
	BYTE_FACTORS[24], BYTE_FACTORS[25], BYTE_FACTORS[26], BYTE_FACTORS[27], BYTE_FACTORS[28],
];

/**
 * Decodes `count` rows into `out` and returns their checksum (the restore path). Returns
 * undefined when a row names an item outside `items`. The rows are read as one string and each
 * row's 29 bytes come out of one string.byte call; every field and the checksum are arithmetic
 * on those bytes and the id one concatenation, so a row costs two calls and two allocations
 * (its id and its table, made with every field in one constructor).
 */
export function decodeRows(source: buffer, offset: number, count: number, items: readonly string[], out: StoredPlacement[]): number | undefined {
	if (count === 0) return 0;
	const grid = PlacementConfig.gridSize;
	const step = PlacementConfig.rotationStep;
	const H = HEX_BYTE;
	const text = readstring(source, offset, count * ROW_BYTES);
	let sum = 0;
	for (let index = 0; index < count; index++) {
		const at = index * ROW_BYTES + 1;
		const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28] = byteOf(text, at, at + 28);
		sum =
			(sum +
				b0 * f0 + b1 * f1 + b2 * f2 + b3 * f3 + b4 * f4 + b5 * f5 + b6 * f6 + b7 * f7 + b8 * f8 + b9 * f9 + b10 * f10 + b11 * f11 + b12 * f12 + b13 * f13 + b14 * f14 +
				b15 * f15 + b16 * f16 + b17 * f17 + b18 * f18 + b19 * f19 + b20 * f20 + b21 * f21 + b22 * f22 + b23 * f23 + b24 * f24 + b25 * f25 + b26 * f26 + b27 * f27 + b28 * f28) %
			TWO_POW_32;
		const itemId = items[b16 + b17 * 256];
		if (itemId === undefined) return undefined;
		const x = b18 + b19 * 256;
		const y = b20 + b21 * 256;
		const z = b22 + b23 * 256;
		out[index] = {
			id:
				H.get(b3)! + H.get(b2)! + H.get(b1)! + H.get(b0)! + "-" + H.get(b7)! + H.get(b6)! + "-" + H.get(b5)! + H.get(b4)! + "-" +
				H.get(b11)! + H.get(b10)! + "-" + H.get(b9)! + H.get(b8)! + H.get(b15)! + H.get(b14)! + H.get(b13)! + H.get(b12)!,
			itemId,
			x: (x >= 32768 ? x - 65536 : x) * grid,
			y: (y >= 32768 ? y - 65536 : y) * grid,
			z: (z >= 32768 ? z - 65536 : z) * grid,
			rotation: b24 * step,
			placedAt: b25 + b26 * 256 + b27 * 65536 + b28 * 16777216,
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

/** Rows as a decoded backup holds them: a range of the payload, its items, its checksum and the placements decoded from it (same order). */
export interface DecodedRows {
	readonly source: buffer;
	readonly offset: number;
	readonly count: number;
	readonly items: readonly string[];
	readonly checksum: number;
	readonly placements: readonly StoredPlacement[];
}

/**
 * A loaded build kept as fixed-width binary rows, updated on every place and remove (removal
 * moves the last row into the gap), with its checksum kept up to date the same way. A build with
 * a placement that does not fit a row (none the game makes) is marked not exact and its
 * backups fall back to encoding the placements.
 */
export class BuildRows {
	private data: buffer;
	/** Rows `data` has room for. */
	private capacity: number;
	private count = 0;
	private readonly slots = new Map<string, number>();
	private ids: string[];
	private readonly items: string[] = [];
	private readonly itemIndex = new Map<string, number>();
	private sum = 0;
	private unfit = 0;

	constructor(placements: readonly StoredPlacement[] = []) {
		this.capacity = math.max(16, placements.size());
		this.data = buffer.create(this.capacity * ROW_BYTES);
		this.ids = table.create(placements.size());
		for (const placement of placements) this.add(placement);
	}

	/**
	 * The rows of a restored build straight from its backup: one copy of the payload's rows and
	 * the ids its decode made, nothing re-encoded. Undefined when two rows share an id or two
	 * items a name (no live build writes either), so the caller builds the rows from the placements instead.
	 */
	static fromDecoded(decoded: DecodedRows): BuildRows | undefined {
		const rows = new BuildRows();
		const count = decoded.count;
		rows.capacity = math.max(16, count);
		rows.data = buffer.create(rows.capacity * ROW_BYTES);
		rows.ids = table.create(count);
		buffer.copy(rows.data, 0, decoded.source, decoded.offset, count * ROW_BYTES);
		const slots = rows.slots;
		const ids = rows.ids;
		const placements = decoded.placements;
		for (let index = 0; index < count; index++) {
			const id = placements[index].id;
			if (slots.has(id)) return undefined;
			slots.set(id, index);
			ids[index] = id;
		}
		for (const item of decoded.items) {
			if (rows.itemIndex.has(item)) return undefined;
			rows.indexOfItem(item);
		}
		rows.count = count;
		rows.sum = decoded.checksum;
		return rows;
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
		if (this.count === this.capacity) {
			this.capacity *= 2;
			const grown = buffer.create(this.capacity * ROW_BYTES);
			buffer.copy(grown, 0, this.data, 0, this.count * ROW_BYTES);
			this.data = grown;
		}
		// A new item gets the next index, recorded only once the row is written.
		const known = this.itemIndex.get(placement.itemId);
		const hash = writeRow(this.data, this.count * ROW_BYTES, placement, known ?? this.items.size());
		if (hash === undefined) {
			this.unfit += 1;
			this.slots.set(placement.id, -1);
			return;
		}
		if (known === undefined) this.indexOfItem(placement.itemId);
		this.sum = (this.sum + hash) % TWO_POW_32;
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
