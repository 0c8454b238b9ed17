import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { BufferWriter } from "shared/streaming/buffer-writer";
import { chunkKeyAt } from "shared/streaming/chunk-grid";
import { StreamedObject, writeSnapshot } from "shared/streaming/chunk-codec";

/** One chunk's objects and its sequence number (bumped by every place and remove in it). */
export interface DirectoryChunk {
	readonly key: number;
	seq: number;
	readonly objects: Map<number, StreamedObject>;
	/** Objects per owner, so a receiver without objects here can get the shared encoding. */
	readonly owners: Map<number, number>;
	/** The snapshot encoded for receivers who own nothing in the chunk, valid for `encodedSeq`. */
	encoded?: buffer;
	encodedSeq: number;
}

/** A change to one chunk: what was placed or removed and the chunk's new sequence number. */
export interface ChunkChange {
	readonly key: number;
	readonly seq: number;
	readonly object: StreamedObject;
}

const EMPTY_OBJECTS = new Map<number, StreamedObject>();

/**
 * The world as data: every tracked placement in exactly one chunk (the one holding its base
 * centre), with a small numeric handle for the wire. Fed by the PlacementTracker, so it holds
 * exactly what the tracker holds.
 */
export class ChunkDirectory {
	private readonly chunks = new Map<number, DirectoryChunk>();
	private readonly byId = new Map<string, { key: number; object: StreamedObject }>();
	private nextHandle = 1;
	private readonly scratch = new BufferWriter(1024);

	constructor(readonly chunkSize: number) {}

	add(placement: TrackedPlacement): ChunkChange {
		const position = placement.worldPosition;
		const key = chunkKeyAt(position.X, position.Z, this.chunkSize);
		const object: StreamedObject = {
			handle: this.nextHandle,
			ownerId: placement.ownerId,
			itemId: placement.itemId,
			x: position.X,
			y: position.Y,
			z: position.Z,
			rotation: placement.rotation,
			placementId: placement.id,
		};
		this.nextHandle = this.nextHandle >= 0xffffffff ? 1 : this.nextHandle + 1;
		let chunk = this.chunks.get(key);
		if (chunk === undefined) {
			chunk = { key, seq: 0, objects: new Map(), owners: new Map(), encodedSeq: -1 };
			this.chunks.set(key, chunk);
		}
		chunk.seq += 1;
		chunk.objects.set(object.handle, object);
		chunk.owners.set(object.ownerId, (chunk.owners.get(object.ownerId) ?? 0) + 1);
		this.byId.set(placement.id, { key, object });
		return { key, seq: chunk.seq, object };
	}

	remove(placementId: string): ChunkChange | undefined {
		const entry = this.byId.get(placementId);
		if (entry === undefined) return undefined;
		this.byId.delete(placementId);
		const chunk = this.chunks.get(entry.key)!;
		chunk.seq += 1;
		chunk.objects.delete(entry.object.handle);
		const owned = (chunk.owners.get(entry.object.ownerId) ?? 1) - 1;
		if (owned > 0) chunk.owners.set(entry.object.ownerId, owned);
		else chunk.owners.delete(entry.object.ownerId);
		// An emptied chunk keeps its entry: its sequence number must never go back for a viewer.
		return { key: entry.key, seq: chunk.seq, object: entry.object };
	}

	seqOf(key: number): number {
		return this.chunks.get(key)?.seq ?? 0;
	}

	objectsIn(key: number): ReadonlyMap<number, StreamedObject> {
		return this.chunks.get(key)?.objects ?? EMPTY_OBJECTS;
	}

	chunkOfPlacement(placementId: string): number | undefined {
		return this.byId.get(placementId)?.key;
	}

	objectCount(): number {
		return this.byId.size();
	}

	/** Keys of chunks holding at least one object. */
	occupiedChunks(): number[] {
		const keys: number[] = [];
		for (const [key, chunk] of this.chunks) if (chunk.objects.size() > 0) keys.push(key);
		return keys;
	}

	chunkCount(): number {
		return this.chunks.size();
	}

	/** Appends the chunk's snapshot for `receiverId`; returns the bytes written. */
	writeSnapshotFor(writer: BufferWriter, key: number, receiverId: number): number {
		const before = writer.size();
		const chunk = this.chunks.get(key);
		if (chunk === undefined) {
			writeSnapshot(writer, key, 0, [], receiverId, this.chunkSize);
			return writer.size() - before;
		}
		if (chunk.owners.has(receiverId)) {
			writeSnapshot(writer, key, chunk.seq, this.list(chunk), receiverId, this.chunkSize);
			return writer.size() - before;
		}
		if (chunk.encodedSeq !== chunk.seq || chunk.encoded === undefined) {
			this.scratch.clear();
			writeSnapshot(this.scratch, key, chunk.seq, this.list(chunk), receiverId, this.chunkSize);
			chunk.encoded = this.scratch.finish();
			chunk.encodedSeq = chunk.seq;
		}
		writer.bytes(chunk.encoded, 0, buffer.len(chunk.encoded));
		return writer.size() - before;
	}

	private list(chunk: DirectoryChunk): StreamedObject[] {
		const objects: StreamedObject[] = [];
		for (const [, object] of chunk.objects) objects.push(object);
		return objects;
	}
}
