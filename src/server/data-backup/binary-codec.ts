import { HttpService } from "@rbxts/services";
import { BuildRows, DecodedRows, decodeRows, fitsRow, isGuid, readGuid, ROW_BYTES, RowsSnapshot, writeGuid } from "server/builds/build-rows";
import { FrameBudget } from "server/performance/frame-budget";
import { StoredPlacement } from "server/player-data/player-data";
import { fromRow, toRow } from "./backup-codec";
import { BackupKind, BackupPayload, BackupRow, PlayerBackup } from "./backup-types";

/** Layout version of the binary payload (the JSON payload is format 1). */
export const BINARY_FORMAT = 2;
const MAGIC = 0x46423032; // "FB02"
const TWO_POW_32 = 4294967296;
const FLAG_SNAPSHOT = 1;
const FLAG_JSON = 2;

/**
 * What a backup holds for one player before encoding: the JSON-shaped backup, plus the build's
 * live rows when it is a whole build kept as rows (then they are copied, not re-encoded).
 */
export interface CapturedPlayerBackup extends PlayerBackup {
	rows?: RowsSnapshot;
	/** The session whose build it copies: recorded in the manifest, not in the payload. */
	session?: number;
}

function mix(hash: number, value: number): number {
	hash = bit32.bxor(hash, value % TWO_POW_32);
	hash = (bit32.bxor(hash, bit32.rshift(hash, 16)) * 0x45d9f3b) % TWO_POW_32;
	return bit32.bxor(hash, bit32.rshift(hash, 16));
}

function idsChecksum(source: buffer, offset: number, count: number): number {
	let sum = 0;
	for (let index = 0; index < count; index++) {
		let hash = 0x85ebca6b;
		for (let word = 0; word < 4; word++) hash = mix(hash, buffer.readu32(source, offset + index * 16 + word * 4));
		sum = (sum + hash) % TWO_POW_32;
	}
	return sum;
}

/** A hash of a small byte range (a player's header and item names, or its JSON entry). */
function regionHash(source: buffer, from: number, to: number): number {
	let hash = 0x811c9dc5;
	for (let at = from; at < to; at++) hash = (hash * 31 + buffer.readu8(source, at)) % TWO_POW_32;
	return hash;
}

/** A growing byte writer. */
class Writer {
	data = buffer.create(4096);
	size = 0;

	reserve(bytes: number) {
		if (this.size + bytes <= buffer.len(this.data)) return;
		let capacity = buffer.len(this.data) * 2;
		while (capacity < this.size + bytes) capacity *= 2;
		const grown = buffer.create(capacity);
		buffer.copy(grown, 0, this.data, 0, this.size);
		this.data = grown;
	}

	u8(value: number) {
		this.reserve(1);
		buffer.writeu8(this.data, this.size, value);
		this.size += 1;
	}

	u32(value: number) {
		this.reserve(4);
		buffer.writeu32(this.data, this.size, value);
		this.size += 4;
	}

	f64(value: number) {
		this.reserve(8);
		buffer.writef64(this.data, this.size, value);
		this.size += 8;
	}

	text(value: string) {
		this.u32(value.size());
		this.reserve(value.size());
		buffer.writestring(this.data, this.size, value);
		this.size += value.size();
	}

	bytes(source: buffer, length: number) {
		this.reserve(length);
		buffer.copy(this.data, this.size, source, 0, length);
		this.size += length;
	}

	finish(): buffer {
		const result = buffer.create(this.size);
		buffer.copy(result, 0, this.data, 0, this.size);
		return result;
	}
}

/** Rows for placements given as backup rows; undefined when one does not fit a row. */
function rowsOf(rows: readonly BackupRow[]): RowsSnapshot | undefined {
	const placements: StoredPlacement[] = [];
	for (const row of rows) {
		const placement = fromRow(row);
		if (placement === undefined || !fitsRow(placement)) return undefined;
		placements.push(placement);
	}
	return new BuildRows(placements).snapshot();
}

export interface EncodedBinaryPayload {
	readonly data: buffer;
	/** Per-player checksums combined, as eight hex digits. */
	readonly checksum: string;
}

/**
 * Encodes a backup as binary: per player its user id, revision, base, item names, the rows (copied
 * from the live build when it is a whole build), removed ids as raw bytes and a checksum of all of
 * it (the rows' part kept up to date by the live build itself); the
 * per-player checksums are combined into the backup's. A player whose build has a placement that
 * does not fit a row is carried as JSON inside the payload.
 */
export function encodeBinaryPayload(id: string, kind: BackupKind, players: ReadonlyMap<number, CapturedPlayerBackup>, budget: FrameBudget): EncodedBinaryPayload {
	const writer = new Writer();
	writer.u32(MAGIC);
	writer.u8(kind === "full" ? 0 : 1);
	writer.text(id);
	writer.u32(players.size());
	let combined = 0x811c9dc5;
	for (const [userId, backup] of players) {
		const playerStart = writer.size;
		writer.f64(userId);
		writer.f64(backup.revision);
		writer.f64(backup.base ?? -1);
		const rows = backup.rows ?? rowsOf(backup.snapshot ?? backup.added ?? []);
		const removed = backup.removed ?? [];
		let removedFit = true;
		for (const removedId of removed) if (!isGuid(removedId)) removedFit = false;
		if (rows === undefined || !removedFit) {
			writer.u8((backup.snapshot !== undefined ? FLAG_SNAPSHOT : 0) + FLAG_JSON);
			const plain: PlayerBackup = { revision: backup.revision, base: backup.base, snapshot: backup.snapshot, added: backup.added, removed: backup.removed };
			writer.text(HttpService.JSONEncode(plain));
			const jsonChecksum = regionHash(writer.data, playerStart, writer.size);
			writer.u32(jsonChecksum);
			combined = mix(mix(combined, userId), jsonChecksum);
			budget.spend();
			continue;
		}
		writer.u8(backup.snapshot !== undefined || backup.rows !== undefined ? FLAG_SNAPSHOT : 0);
		writer.u32(rows.items.size());
		for (const item of rows.items) writer.text(item);
		const headerChecksum = regionHash(writer.data, playerStart, writer.size);
		writer.u32(rows.count);
		writer.bytes(rows.rows, rows.count * ROW_BYTES);
		writer.u32(removed.size());
		writer.reserve(removed.size() * 16);
		const removedAt = writer.size;
		for (const removedId of removed) {
			writeGuid(writer.data, writer.size, removedId);
			writer.size += 16;
		}
		const checksum = (headerChecksum + rows.checksum + idsChecksum(writer.data, removedAt, removed.size())) % TWO_POW_32;
		writer.u32(checksum);
		combined = mix(mix(combined, userId), checksum);
		budget.spend();
	}
	return { data: writer.finish(), checksum: string.format("%08x", combined) };
}

/** The payload in `data`, verified against every player's checksum and the backup's, or why it cannot be used. */
export function decodeBinaryPayload(data: buffer, expectedId: string, expectedChecksum: string): BackupPayload | string {
	const length = buffer.len(data);
	let at = 0;
	const need = (bytes: number) => {
		if (at + bytes > length) error("truncated", 0);
	};
	const u8 = () => {
		need(1);
		at += 1;
		return buffer.readu8(data, at - 1);
	};
	const u32 = () => {
		need(4);
		at += 4;
		return buffer.readu32(data, at - 4);
	};
	const f64 = () => {
		need(8);
		at += 8;
		return buffer.readf64(data, at - 8);
	};
	const text = () => {
		const size = u32();
		need(size);
		at += size;
		return buffer.readstring(data, at - size, size);
	};
	const [ok, result] = pcall((): BackupPayload | string => {
		if (u32() !== MAGIC) return "its data is not a binary backup";
		const kind: BackupKind = u8() === 0 ? "full" : "incremental";
		const id = text();
		if (id !== expectedId) return `it holds backup ${id}`;
		const players: Record<string, PlayerBackup> = {};
		let combined = 0x811c9dc5;
		const count = u32();
		for (let player = 0; player < count; player++) {
			const playerStart = at;
			const userId = f64();
			const revision = f64();
			const base = f64();
			const flags = u8();
			if ((flags & FLAG_JSON) !== 0) {
				const json = text();
				const jsonChecksum = regionHash(data, playerStart, at);
				if (u32() !== jsonChecksum) return `player ${userId}'s entry fails its checksum`;
				const [decoded, plain] = pcall(() => HttpService.JSONDecode(json) as PlayerBackup);
				if (!decoded || !typeIs(plain, "table")) return `player ${userId}'s entry is not valid JSON`;
				players[tostring(userId)] = plain;
				combined = mix(mix(combined, userId), jsonChecksum);
				continue;
			}
			const items: string[] = [];
			const itemCount = u32();
			for (let index = 0; index < itemCount; index++) items.push(text());
			const headerChecksum = regionHash(data, playerStart, at);
			const rowCount = u32();
			need(rowCount * ROW_BYTES);
			const rowsAt = at;
			at += rowCount * ROW_BYTES;
			const removedCount = u32();
			need(removedCount * 16);
			const removedAt = at;
			at += removedCount * 16;
			const checksum = u32();
			const placements = new Array<StoredPlacement>(rowCount);
			const rowsSum = decodeRows(data, rowsAt, rowCount, items, placements);
			if (rowsSum === undefined) return `player ${userId}'s rows name an unknown item`;
			const actual = (headerChecksum + rowsSum + idsChecksum(data, removedAt, removedCount)) % TWO_POW_32;
			if (actual !== checksum) return `player ${userId}'s rows fail their checksum`;
			combined = mix(mix(combined, userId), checksum);
			if ((flags & FLAG_SNAPSHOT) !== 0) {
				const decoded: DecodedRows = { source: data, offset: rowsAt, count: rowCount, items, checksum: rowsSum, placements };
				players[tostring(userId)] = { revision, placements, decoded };
				continue;
			}
			const removed: string[] = [];
			for (let index = 0; index < removedCount; index++) removed.push(readGuid(data, removedAt + index * 16));
			players[tostring(userId)] = { revision, base: base >= 0 ? base : undefined, added: placements.map(toRow), removed };
		}
		if (at !== length) return "it has trailing data";
		const digest = string.format("%08x", combined);
		if (digest !== expectedChecksum) return `checksum ${digest} does not match ${expectedChecksum}`;
		return { format: BINARY_FORMAT, id, kind, players };
	});
	if (!ok) return `its data is truncated (${tostring(result)})`;
	return result;
}

/** Splits a payload into pieces of at most `maxBytes` bytes. */
export function splitBuffer(data: buffer, maxBytes: number): buffer[] {
	const pieces: buffer[] = [];
	for (let start = 0; start < buffer.len(data); start += maxBytes) {
		const size = math.min(maxBytes, buffer.len(data) - start);
		const piece = buffer.create(size);
		buffer.copy(piece, 0, data, start, size);
		pieces.push(piece);
	}
	return pieces;
}

export function joinBuffers(pieces: readonly buffer[]): buffer {
	let total = 0;
	for (const piece of pieces) total += buffer.len(piece);
	const data = buffer.create(total);
	let at = 0;
	for (const piece of pieces) {
		buffer.copy(data, at, piece, 0, buffer.len(piece));
		at += buffer.len(piece);
	}
	return data;
}
