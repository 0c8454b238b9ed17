import { BufferWriter } from "shared/streaming/buffer-writer";
import { StreamedObject, writePlaceEncoded, writeRemove } from "shared/streaming/chunk-codec";
import type { ChunkChange } from "./chunk-directory";

/** No receiver has this id: a place entry is logged without the owner's placement id. */
const NOBODY = -1;

/**
 * The place/remove deltas of one chunk not yet sent to every player holding it, already encoded
 * as wire records: entry i carries sequence number `firstSeq + i`.
 */
interface ChunkLog {
	firstSeq: number;
	/** Byte offset of each entry in `data`. */
	readonly offsets: number[];
	/** On a place: the object (its owner gets its placement id after the record); false on a remove. */
	readonly placed: (StreamedObject | false)[];
	readonly data: BufferWriter;
}

/** Where `DeltaLog.write` stopped: the last sequence number written and the bytes it wrote. */
export interface DeltaWrite {
	seq: number;
	bytes: number;
}

/**
 * Deltas queued per chunk, so following a placement is one append (encoded once, whoever holds
 * the chunk) and each player's batch copies the entries it has not had yet, within its budget.
 */
export class DeltaLog {
	private readonly logs = new Map<number, ChunkLog>();
	private readonly spare: ChunkLog[] = [];

	/** Appends a change; a log that does not continue the chunk's sequence starts again from it. */
	append(change: ChunkChange, placed: boolean) {
		let log = this.logs.get(change.key);
		if (log !== undefined && log.firstSeq + log.offsets.size() !== change.seq) {
			this.release(change.key, log);
			log = undefined;
		}
		if (log === undefined) {
			log = this.spare.pop() ?? { firstSeq: 0, offsets: [], placed: [], data: new BufferWriter(256) };
			log.firstSeq = change.seq;
			this.logs.set(change.key, log);
		}
		log.offsets.push(log.data.size());
		if (placed) {
			writePlaceEncoded(log.data, change.key, change.seq, change.object, change.records!, change.recordOffset!, NOBODY);
			log.placed.push(change.object);
		} else {
			writeRemove(log.data, change.key, change.seq, change.object.handle);
			log.placed.push(false);
		}
	}

	/**
	 * Whether the entry right after `heldSeq` is logged (and so every later one: a log never has
	 * gaps). False when the receiver is up to date with the log or behind its first entry.
	 */
	covers(key: number, heldSeq: number): boolean {
		const log = this.logs.get(key);
		return log !== undefined && heldSeq + 1 >= log.firstSeq && heldSeq + 1 < log.firstSeq + log.offsets.size();
	}

	/** Bytes of the entries after `heldSeq` (without owners' placement ids). */
	bytesAfter(key: number, heldSeq: number): number {
		const log = this.logs.get(key);
		if (log === undefined) return 0;
		const index = math.max(heldSeq + 1 - log.firstSeq, 0);
		if (index >= log.offsets.size()) return 0;
		return log.data.size() - log.offsets[index];
	}

	/**
	 * Copies the entries after `heldSeq` into `writer` while they fit in `budget` bytes (the first
	 * always goes when `first`); `into.seq` is the last sequence number written (heldSeq if none).
	 */
	write(key: number, heldSeq: number, receiverId: number, writer: BufferWriter, budget: number, first: boolean, into: DeltaWrite) {
		into.seq = heldSeq;
		into.bytes = 0;
		const log = this.logs.get(key);
		if (log === undefined) return;
		const count = log.offsets.size();
		const total = log.data.size();
		const source = log.data.target();
		for (let index = math.max(heldSeq + 1 - log.firstSeq, 0); index < count; index++) {
			const start = log.offsets[index];
			const size = (index + 1 < count ? log.offsets[index + 1] : total) - start;
			const object = log.placed[index];
			const own = object !== false && object.ownerId === receiverId;
			const idBytes = own ? 1 + math.min(((object as StreamedObject).placementId ?? "").size(), 255) : 0;
			if (!(first && into.bytes === 0) && into.bytes + size + idBytes > budget) return;
			writer.bytes(source, start, size);
			if (own) writer.shortString((object as StreamedObject).placementId ?? "");
			into.bytes += size + idBytes;
			into.seq = log.firstSeq + index;
		}
	}

	/** Drops a chunk's log (everyone holding it is up to date, or a snapshot is cheaper now). */
	drop(key: number) {
		const log = this.logs.get(key);
		if (log !== undefined) this.release(key, log);
	}

	/** Fills `out` with the keys of the chunks with logged deltas. */
	chunkKeys(out: number[]) {
		out.clear();
		for (const [key] of this.logs) out.push(key);
	}

	/** Chunks with a log, and the bytes logged over all of them. */
	size(): { chunks: number; bytes: number } {
		let bytes = 0;
		for (const [, log] of this.logs) bytes += log.data.size();
		return { chunks: this.logs.size(), bytes };
	}

	clear() {
		for (const [key, log] of this.logs) this.release(key, log);
	}

	private release(key: number, log: ChunkLog) {
		this.logs.delete(key);
		log.offsets.clear();
		log.placed.clear();
		log.data.clear();
		if (this.spare.size() < 64) this.spare.push(log);
	}
}
