import { catalogItems } from "shared/catalog/catalog";
import { BufferWriter } from "./buffer-writer";
import { chunkKey, chunkX, chunkZ } from "./chunk-grid";

/**
 * The wire format of streaming: one `buffer` per player per frame holding records.
 *
 * batch:    u16 chunkSize, then records until the end
 * SNAPSHOT: u8 1, i16 cx, i16 cz, u32 seq, u8 owners, f64 ownerId × owners (0: unused slot),
 *           u16 count, record × count, u16 ids, (u32 handle, u8 length, placement id) × ids
 * UNLOAD:   u8 2, i16 cx, i16 cz
 * PLACE:    u8 3, i16 cx, i16 cz, u32 seq, f64 ownerId, object
 * REMOVE:   u8 4, i16 cx, i16 cz, u32 seq, u32 handle
 * record:   u32 handle, u8 owner index, u8 item index, u8 rotation / 2,
 *           u16 x, u16 y, u16 z (1/16 stud; x and z from the chunk's corner) = 13 bytes.
 * A snapshot's records are the chunk's records as the server keeps them (so sending one is a
 * copy); the placement ids of the receiver's own objects follow them. A PLACE record of the
 * receiver's own object is followed by u8 length + placement id.
 */
export const enum RecordKind {
	Snapshot = 1,
	Unload = 2,
	Place = 3,
	Remove = 4,
}

/** Bytes of one object of another player inside a snapshot. */
export const OBJECT_RECORD_BYTES = 13;
const POSITION_SCALE = 16;
const POSITION_MAX = 65535;

/** An object as the streaming wire carries it; positions are world positions of the base centre. */
export interface StreamedObject {
	/** The server's small number for this placement, unique on that server. */
	readonly handle: number;
	readonly ownerId: number;
	readonly itemId: string;
	readonly x: number;
	readonly y: number;
	readonly z: number;
	readonly rotation: number;
	/** Only on the receiver's own objects. */
	readonly placementId?: string;
}

const ITEM_INDEX = new Map<string, number>();
const ITEM_IDS: string[] = [];
for (const item of catalogItems()) {
	ITEM_INDEX.set(item.id, ITEM_IDS.size());
	ITEM_IDS.push(item.id);
}

export function itemIndexOf(itemId: string): number {
	const index = ITEM_INDEX.get(itemId);
	// Not assert(): its message would be built for every record encoded.
	if (index === undefined) error(`item ${itemId} is not in the catalog`);
	return index;
}

function quantize(value: number): number {
	return math.clamp(math.round(value * POSITION_SCALE), 0, POSITION_MAX);
}

/** Writes one 13-byte record at `offset` of `data`. */
export function encodeRecord(data: buffer, offset: number, object: StreamedObject, ownerIndex: number, chunkSize: number, cx: number, cz: number) {
	buffer.writeu32(data, offset, object.handle);
	buffer.writeu8(data, offset + 4, ownerIndex);
	buffer.writeu8(data, offset + 5, itemIndexOf(object.itemId));
	buffer.writeu8(data, offset + 6, math.floor(object.rotation / 2) % 180);
	buffer.writeu16(data, offset + 7, quantize(object.x - cx * chunkSize));
	buffer.writeu16(data, offset + 9, quantize(object.y));
	buffer.writeu16(data, offset + 11, quantize(object.z - cz * chunkSize));
}

export function beginBatch(writer: BufferWriter, chunkSize: number) {
	writer.clear();
	writer.u16(chunkSize);
}

/**
 * Bytes writeSnapshotRecords writes for `ownerSlots` owner slots and `count` records, with `own`
 * of the receiver's objects whose ids take `ownIdBytes` in all (each cut to 255).
 */
export function snapshotBytes(ownerSlots: number, count: number, own: number, ownIdBytes: number): number {
	// Kind, chunk x and z, sequence, owner count; record count; own count.
	return 1 + 2 + 2 + 4 + 1 + 8 * ownerSlots + 2 + OBJECT_RECORD_BYTES * count + 2 + 5 * own + ownIdBytes;
}

/**
 * Writes a chunk snapshot from records already encoded (`records`, `count` × 13 bytes, owner
 * indexes into `owners`), then the placement ids of the receiver's own objects.
 */
export function writeSnapshotRecords(
	writer: BufferWriter,
	key: number,
	seq: number,
	owners: readonly number[],
	records: buffer,
	count: number,
	ownIds: readonly StreamedObject[],
) {
	assert(owners.size() <= 255 && count <= 65535, "chunk too crowded to encode");
	writer.u8(RecordKind.Snapshot);
	writer.i16(chunkX(key));
	writer.i16(chunkZ(key));
	writer.u32(seq);
	writer.u8(owners.size());
	for (const owner of owners) writer.f64(owner);
	writer.u16(count);
	writer.bytes(records, 0, count * OBJECT_RECORD_BYTES);
	writer.u16(ownIds.size());
	for (const object of ownIds) {
		writer.u32(object.handle);
		writer.shortString(object.placementId ?? "");
	}
}

/** Writes a chunk snapshot of `objects`; objects of `receiverId` carry their placement ids. */
export function writeSnapshot(
	writer: BufferWriter,
	key: number,
	seq: number,
	objects: readonly StreamedObject[],
	receiverId: number,
	chunkSize: number,
) {
	const owners: number[] = [];
	const ownerIndex = new Map<number, number>();
	const records = buffer.create(math.max(objects.size() * OBJECT_RECORD_BYTES, 1));
	const ownIds: StreamedObject[] = [];
	objects.forEach((object, index) => {
		let slot = ownerIndex.get(object.ownerId);
		if (slot === undefined) {
			slot = owners.size();
			ownerIndex.set(object.ownerId, slot);
			owners.push(object.ownerId);
		}
		encodeRecord(records, index * OBJECT_RECORD_BYTES, object, slot, chunkSize, chunkX(key), chunkZ(key));
		if (object.ownerId === receiverId) ownIds.push(object);
	});
	writeSnapshotRecords(writer, key, seq, owners, records, objects.size(), ownIds);
}

export function writeUnload(writer: BufferWriter, key: number) {
	writer.u8(RecordKind.Unload);
	writer.i16(chunkX(key));
	writer.i16(chunkZ(key));
}

export function writePlace(writer: BufferWriter, key: number, seq: number, object: StreamedObject, receiverId: number, chunkSize: number) {
	const cx = chunkX(key);
	const cz = chunkZ(key);
	writer.u8(RecordKind.Place);
	writer.i16(cx);
	writer.i16(cz);
	writer.u32(seq);
	writer.f64(object.ownerId);
	// Claim first: claiming may grow (replace) the writer's buffer.
	const offset = writer.claim(OBJECT_RECORD_BYTES);
	encodeRecord(writer.target(), offset, object, 0, chunkSize, cx, cz);
	if (object.ownerId === receiverId) writer.shortString(object.placementId ?? "");
}

/**
 * `writePlace` from the record the directory already encoded (`records` at `recordOffset`, any
 * owner index): the bytes are copied, so a placement is encoded once however many viewers hear of it.
 */
export function writePlaceEncoded(writer: BufferWriter, key: number, seq: number, object: StreamedObject, records: buffer, recordOffset: number, receiverId: number) {
	writer.u8(RecordKind.Place);
	writer.i16(chunkX(key));
	writer.i16(chunkZ(key));
	writer.u32(seq);
	writer.f64(object.ownerId);
	const offset = writer.claim(OBJECT_RECORD_BYTES);
	const target = writer.target();
	buffer.copy(target, offset, records, recordOffset, OBJECT_RECORD_BYTES);
	// A place record names its owner itself: owner index 0, as writePlace writes it.
	buffer.writeu8(target, offset + 4, 0);
	if (object.ownerId === receiverId) writer.shortString(object.placementId ?? "");
}

export function writeRemove(writer: BufferWriter, key: number, seq: number, handle: number) {
	writer.u8(RecordKind.Remove);
	writer.i16(chunkX(key));
	writer.i16(chunkZ(key));
	writer.u32(seq);
	writer.u32(handle);
}

/** What a receiver does with each record of a batch, in order. */
export interface BatchVisitor {
	snapshot(key: number, seq: number, objects: StreamedObject[]): void;
	unload(key: number): void;
	place(key: number, seq: number, object: StreamedObject): void;
	remove(key: number, seq: number, handle: number): void;
}

interface ReadObject {
	handle: number;
	ownerId: number;
	itemId: string;
	x: number;
	y: number;
	z: number;
	rotation: number;
	placementId?: string;
}

function readRecord(payload: buffer, offset: number, owners: readonly number[], chunkSize: number, cx: number, cz: number): ReadObject {
	return {
		handle: buffer.readu32(payload, offset),
		ownerId: owners[buffer.readu8(payload, offset + 4)],
		itemId: ITEM_IDS[buffer.readu8(payload, offset + 5)] ?? "",
		rotation: buffer.readu8(payload, offset + 6) * 2,
		x: cx * chunkSize + buffer.readu16(payload, offset + 7) / POSITION_SCALE,
		y: buffer.readu16(payload, offset + 9) / POSITION_SCALE,
		z: cz * chunkSize + buffer.readu16(payload, offset + 11) / POSITION_SCALE,
	};
}

/** Reads a batch and hands each record to `visitor`; errors on a malformed payload. */
export function readBatch(payload: buffer, receiverId: number, visitor: BatchVisitor) {
	const total = buffer.len(payload);
	const chunkSize = buffer.readu16(payload, 0);
	let offset = 2;
	while (offset < total) {
		const kind = buffer.readu8(payload, offset);
		const cx = buffer.readi16(payload, offset + 1);
		const cz = buffer.readi16(payload, offset + 3);
		const key = chunkKey(cx, cz);
		offset += 5;
		if (kind === RecordKind.Snapshot) {
			const seq = buffer.readu32(payload, offset);
			const ownerCount = buffer.readu8(payload, offset + 4);
			offset += 5;
			const owners: number[] = [];
			for (let index = 0; index < ownerCount; index++) {
				owners.push(buffer.readf64(payload, offset));
				offset += 8;
			}
			const count = buffer.readu16(payload, offset);
			offset += 2;
			const objects: ReadObject[] = [];
			const byHandle = new Map<number, ReadObject>();
			for (let index = 0; index < count; index++) {
				const object = readRecord(payload, offset, owners, chunkSize, cx, cz);
				objects.push(object);
				byHandle.set(object.handle, object);
				offset += OBJECT_RECORD_BYTES;
			}
			const ids = buffer.readu16(payload, offset);
			offset += 2;
			for (let index = 0; index < ids; index++) {
				const handle = buffer.readu32(payload, offset);
				const size = buffer.readu8(payload, offset + 4);
				const object = byHandle.get(handle);
				if (object !== undefined) object.placementId = buffer.readstring(payload, offset + 5, size);
				offset += 5 + size;
			}
			visitor.snapshot(key, seq, objects);
		} else if (kind === RecordKind.Unload) {
			visitor.unload(key);
		} else if (kind === RecordKind.Place) {
			const seq = buffer.readu32(payload, offset);
			const owner = buffer.readf64(payload, offset + 4);
			const object = readRecord(payload, offset + 12, [owner], chunkSize, cx, cz);
			offset += 12 + OBJECT_RECORD_BYTES;
			if (owner === receiverId) {
				const size = buffer.readu8(payload, offset);
				object.placementId = buffer.readstring(payload, offset + 1, size);
				offset += 1 + size;
			}
			visitor.place(key, seq, object);
		} else if (kind === RecordKind.Remove) {
			const seq = buffer.readu32(payload, offset);
			const handle = buffer.readu32(payload, offset + 4);
			offset += 8;
			visitor.remove(key, seq, handle);
		} else {
			error(`unknown streaming record ${kind} at byte ${offset - 5}`);
		}
	}
}
