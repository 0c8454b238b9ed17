import { BatchVisitor, StreamedObject } from "./chunk-codec";

/** What a chunk view tells its renderer. */
export interface ChunkViewListener {
	readonly added: (key: number, object: StreamedObject) => void;
	readonly removed: (key: number, object: StreamedObject) => void;
	readonly chunkLoaded: (key: number) => void;
	readonly chunkUnloaded: (key: number) => void;
	/** A delta did not follow the held sequence number: the chunk must be sent again. */
	readonly outOfStep: (key: number) => void;
}

interface HeldChunk {
	seq: number;
	readonly objects: Map<number, StreamedObject>;
}

/**
 * The client's copy of the chunks it was sent: snapshots replace a chunk, deltas apply only in
 * sequence (seq = held + 1), unloads drop it. Engine-free; the controller renders its events.
 */
export class ChunkView implements BatchVisitor {
	private readonly chunks = new Map<number, HeldChunk>();
	private objectCount = 0;
	/** Deltas out of sequence (each makes the chunk be sent again). */
	outOfStepCount = 0;
	/** Places of an object already held, or removes of one not held. */
	inconsistencies = 0;

	constructor(private readonly listener: ChunkViewListener) {}

	snapshot(key: number, seq: number, objects: StreamedObject[]) {
		const previous = this.chunks.get(key);
		const chunk: HeldChunk = { seq, objects: new Map() };
		for (const object of objects) chunk.objects.set(object.handle, object);
		this.chunks.set(key, chunk);
		if (previous !== undefined) {
			for (const [handle, object] of previous.objects) {
				if (!chunk.objects.has(handle)) {
					this.objectCount -= 1;
					this.listener.removed(key, object);
				}
			}
		} else {
			this.listener.chunkLoaded(key);
		}
		for (const object of objects) {
			if (previous === undefined || !previous.objects.has(object.handle)) {
				this.objectCount += 1;
				this.listener.added(key, object);
			}
		}
	}

	unload(key: number) {
		const chunk = this.chunks.get(key);
		if (chunk === undefined) return;
		this.chunks.delete(key);
		for (const [, object] of chunk.objects) {
			this.objectCount -= 1;
			this.listener.removed(key, object);
		}
		this.listener.chunkUnloaded(key);
	}

	place(key: number, seq: number, object: StreamedObject) {
		const chunk = this.inStep(key, seq);
		if (chunk === undefined) return;
		if (chunk.objects.has(object.handle)) {
			this.inconsistencies += 1;
			return;
		}
		chunk.objects.set(object.handle, object);
		this.objectCount += 1;
		this.listener.added(key, object);
	}

	remove(key: number, seq: number, handle: number) {
		const chunk = this.inStep(key, seq);
		if (chunk === undefined) return;
		const object = chunk.objects.get(handle);
		if (object === undefined) {
			this.inconsistencies += 1;
			return;
		}
		chunk.objects.delete(handle);
		this.objectCount -= 1;
		this.listener.removed(key, object);
	}

	/** Held chunks with their sequence numbers. */
	heldChunks(): Map<number, number> {
		const result = new Map<number, number>();
		for (const [key, chunk] of this.chunks) result.set(key, chunk.seq);
		return result;
	}

	objectsIn(key: number): ReadonlyMap<number, StreamedObject> | undefined {
		return this.chunks.get(key)?.objects;
	}

	size(): number {
		return this.objectCount;
	}

	private inStep(key: number, seq: number): HeldChunk | undefined {
		const chunk = this.chunks.get(key);
		if (chunk === undefined) {
			// The server only sends deltas for chunks it sent: this should never happen.
			this.inconsistencies += 1;
			return undefined;
		}
		if (seq !== chunk.seq + 1) {
			this.outOfStepCount += 1;
			this.listener.outOfStep(key);
			return undefined;
		}
		chunk.seq = seq;
		return chunk;
	}
}
