import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { BufferWriter } from "shared/streaming/buffer-writer";
import { chunkKeyAt, chunkX, chunkZ } from "shared/streaming/chunk-grid";
import { encodeRecord, OBJECT_RECORD_BYTES, snapshotBytes, StreamedObject, writeSnapshotRecords } from "shared/streaming/chunk-codec";

/** An owner's slot in a chunk's owner table, how many of the chunk's objects are theirs, and the bytes of their ids in a snapshot. */
interface OwnerSlot {
	readonly slot: number;
	count: number;
	idBytes: number;
}

/** The bytes of an object's placement id in a snapshot sent to its owner (shortString: at most 255). */
function idBytesOf(object: StreamedObject): number {
	return math.min((object.placementId ?? "").size(), 255);
}

/**
 * One chunk: its objects, its sequence number (bumped by every place and remove in it) and its
 * objects' wire records kept encoded, so a snapshot is a header and a copy.
 */
interface DirectoryChunk {
	readonly key: number;
	seq: number;
	readonly objects: Map<number, StreamedObject>;
	/** Owner ids by slot (0: a free slot); records refer to owners by slot. */
	readonly slots: number[];
	readonly owners: Map<number, OwnerSlot>;
	records: buffer;
	count: number;
	/** Record index of each handle, and the handle at each record index. */
	readonly indexOf: Map<number, number>;
	readonly handleAt: number[];
}

/** A change to one chunk: what was placed or removed and the chunk's new sequence number. */
export interface ChunkChange {
	readonly key: number;
	readonly seq: number;
	readonly object: StreamedObject;
	/** On an addition: the chunk's records buffer and the byte offset of the object's encoded record in it. */
	readonly records?: buffer;
	readonly recordOffset?: number;
}

const EMPTY_OBJECTS = new Map<number, StreamedObject>();
const MAX_OWNER_SLOTS = 255;

/**
 * The world as data: every tracked placement in exactly one chunk (the one holding its base
 * centre), with a small numeric handle for the wire. Fed by the PlacementTracker, so it holds
 * exactly what the tracker holds.
 */
export class ChunkDirectory {
	private readonly chunks = new Map<number, DirectoryChunk>();
	private readonly byId = new Map<string, { key: number; object: StreamedObject }>();
	/** byId's size, kept as it changes (a Map's size() counts every entry). */
	private objects = 0;
	private nextHandle = 1;
	private readonly ownIds: StreamedObject[] = [];

	constructor(readonly chunkSize: number) {}

	/**
	 * A directory rebuilt from `placements`, continuing `previous`: an object that is unchanged
	 * keeps its handle (so a client's copy of it stays as it is), every other object gets a handle
	 * never used before, and every chunk's sequence number is above the previous one (it never
	 * goes back for a viewer).
	 */
	static rebuiltFrom(previous: ChunkDirectory, placements: readonly TrackedPlacement[]): { directory: ChunkDirectory; handlesKept: number } {
		const directory = new ChunkDirectory(previous.chunkSize);
		directory.nextHandle = previous.nextHandle;
		for (const [key, chunk] of previous.chunks) directory.emptyChunk(key).seq = chunk.seq;
		let handlesKept = 0;
		for (const placement of placements) {
			const old = previous.byId.get(placement.id)?.object;
			const position = placement.worldPosition;
			const unchanged =
				old !== undefined &&
				old.ownerId === placement.ownerId &&
				old.itemId === placement.itemId &&
				old.x === position.X &&
				old.y === position.Y &&
				old.z === position.Z &&
				old.rotation === placement.rotation;
			directory.add(placement, unchanged ? old.handle : undefined);
			if (unchanged) handlesKept += 1;
		}
		// One step above the previous sequence even where nothing changed, so the rebuild is a new state.
		for (const [, chunk] of directory.chunks) chunk.seq += 1;
		return { directory, handlesKept };
	}

	add(placement: TrackedPlacement, keepHandle?: number): ChunkChange {
		const position = placement.worldPosition;
		const key = chunkKeyAt(position.X, position.Z, this.chunkSize);
		const handle = keepHandle ?? this.nextHandle;
		const object: StreamedObject = {
			handle,
			ownerId: placement.ownerId,
			itemId: placement.itemId,
			x: position.X,
			y: position.Y,
			z: position.Z,
			rotation: placement.rotation,
			placementId: placement.id,
		};
		if (keepHandle === undefined) this.nextHandle = this.nextHandle >= 0xffffffff ? 1 : this.nextHandle + 1;
		const chunk = this.emptyChunk(key);
		chunk.seq += 1;
		chunk.objects.set(object.handle, object);
		const slot = this.ownerSlot(chunk, object.ownerId, idBytesOf(object));
		if (buffer.len(chunk.records) < (chunk.count + 1) * OBJECT_RECORD_BYTES) {
			const grown = buffer.create(buffer.len(chunk.records) * 2);
			buffer.copy(grown, 0, chunk.records, 0, chunk.count * OBJECT_RECORD_BYTES);
			chunk.records = grown;
		}
		const recordOffset = chunk.count * OBJECT_RECORD_BYTES;
		encodeRecord(chunk.records, recordOffset, object, slot, this.chunkSize, chunkX(key), chunkZ(key));
		chunk.indexOf.set(object.handle, chunk.count);
		chunk.handleAt[chunk.count] = object.handle;
		chunk.count += 1;
		if (!this.byId.has(placement.id)) this.objects += 1;
		this.byId.set(placement.id, { key, object });
		return { key, seq: chunk.seq, object, records: chunk.records, recordOffset };
	}

	remove(placementId: string): ChunkChange | undefined {
		const entry = this.byId.get(placementId);
		if (entry === undefined) return undefined;
		this.byId.delete(placementId);
		this.objects -= 1;
		const chunk = this.chunks.get(entry.key)!;
		const handle = entry.object.handle;
		chunk.seq += 1;
		chunk.objects.delete(handle);
		// The last record moves into the removed one's place.
		const index = chunk.indexOf.get(handle)!;
		const last = chunk.count - 1;
		if (index !== last) {
			buffer.copy(chunk.records, index * OBJECT_RECORD_BYTES, chunk.records, last * OBJECT_RECORD_BYTES, OBJECT_RECORD_BYTES);
			const moved = chunk.handleAt[last];
			chunk.handleAt[index] = moved;
			chunk.indexOf.set(moved, index);
		}
		chunk.handleAt.pop();
		chunk.indexOf.delete(handle);
		chunk.count = last;
		const owner = chunk.owners.get(entry.object.ownerId)!;
		owner.count -= 1;
		owner.idBytes -= idBytesOf(entry.object);
		if (owner.count === 0) {
			chunk.owners.delete(entry.object.ownerId);
			chunk.slots[owner.slot] = 0;
		}
		// An emptied chunk keeps its entry: its sequence number must never go back for a viewer.
		return { key: entry.key, seq: chunk.seq, object: entry.object };
	}

	seqOf(key: number): number {
		return this.chunks.get(key)?.seq ?? 0;
	}

	objectsIn(key: number): ReadonlyMap<number, StreamedObject> {
		return this.chunks.get(key)?.objects ?? EMPTY_OBJECTS;
	}

	/** Objects in a chunk (O(1)). */
	countIn(key: number): number {
		return this.chunks.get(key)?.count ?? 0;
	}

	chunkOfPlacement(placementId: string): number | undefined {
		return this.byId.get(placementId)?.key;
	}

	objectCount(): number {
		return this.objects;
	}

	/** Keys of chunks holding at least one object. */
	occupiedChunks(): number[] {
		const keys: number[] = [];
		for (const [key, chunk] of this.chunks) if (chunk.count > 0) keys.push(key);
		return keys;
	}

	chunkCount(): number {
		return this.chunks.size();
	}

	/** Appends the chunk's snapshot for `receiverId`; returns the bytes written. */
	writeSnapshotFor(writer: BufferWriter, key: number, receiverId: number): number {
		const before = writer.size();
		const chunk = this.chunks.get(key);
		const ownIds = this.ownIds;
		ownIds.clear();
		if (chunk === undefined) {
			writeSnapshotRecords(writer, key, 0, [], buffer.create(0), 0, ownIds);
			return writer.size() - before;
		}
		if (chunk.owners.has(receiverId)) {
			for (const [, object] of chunk.objects) if (object.ownerId === receiverId) ownIds.push(object);
		}
		writeSnapshotRecords(writer, key, chunk.seq, chunk.slots, chunk.records, chunk.count, ownIds);
		return writer.size() - before;
	}

	/** Bytes `writeSnapshotFor(key, receiverId)` writes: what the byte budgets weigh a snapshot at. */
	snapshotBytesFor(key: number, receiverId: number): number {
		const chunk = this.chunks.get(key);
		if (chunk === undefined) return snapshotBytes(0, 0, 0, 0);
		const own = chunk.owners.get(receiverId);
		return snapshotBytes(chunk.slots.size(), chunk.count, own?.count ?? 0, own?.idBytes ?? 0);
	}

	/** The chunk at `key`, made empty if there is none yet. */
	private emptyChunk(key: number): DirectoryChunk {
		let chunk = this.chunks.get(key);
		if (chunk === undefined) {
			chunk = { key, seq: 0, objects: new Map(), slots: [], owners: new Map(), records: buffer.create(OBJECT_RECORD_BYTES * 8), count: 0, indexOf: new Map(), handleAt: [] };
			this.chunks.set(key, chunk);
		}
		return chunk;
	}

	private ownerSlot(chunk: DirectoryChunk, ownerId: number, idBytes: number): number {
		const existing = chunk.owners.get(ownerId);
		if (existing !== undefined) {
			existing.count += 1;
			existing.idBytes += idBytes;
			return existing.slot;
		}
		let slot = chunk.slots.indexOf(0);
		if (slot < 0) {
			assert(chunk.slots.size() < MAX_OWNER_SLOTS, "a chunk can hold the objects of at most 255 owners");
			slot = chunk.slots.size();
			chunk.slots.push(ownerId);
		} else {
			chunk.slots[slot] = ownerId;
		}
		chunk.owners.set(ownerId, { slot, count: 1, idBytes });
		return slot;
	}
}
