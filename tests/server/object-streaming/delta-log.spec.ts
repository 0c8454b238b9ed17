import { describe, expect, it } from "@rbxts/jest-globals";
import { ChunkChange } from "server/object-streaming/chunk-directory";
import { DeltaLog, DeltaWrite } from "server/object-streaming/delta-log";
import { BufferWriter } from "shared/streaming/buffer-writer";
import { beginBatch, encodeRecord, OBJECT_RECORD_BYTES, readBatch, StreamedObject } from "shared/streaming/chunk-codec";
import { chunkKey } from "shared/streaming/chunk-grid";

const KEY = chunkKey(2, -3);
const CHUNK_SIZE = 64;

function placeChange(seq: number, handle: number, ownerId: number): ChunkChange {
	const object: StreamedObject = { handle, ownerId, itemId: "chair", x: 130, y: 0, z: -150, rotation: 90, placementId: `p${handle}` };
	const records = buffer.create(OBJECT_RECORD_BYTES);
	encodeRecord(records, 0, object, 0, CHUNK_SIZE, 2, -3);
	return { key: KEY, seq, object, records, recordOffset: 0 };
}

function removeChange(seq: number, handle: number): ChunkChange {
	return { key: KEY, seq, object: { handle, ownerId: 1, itemId: "chair", x: 0, y: 0, z: 0, rotation: 0 } };
}

/** Writes what `log` has after `heldSeq` for `receiverId` within `budget`, and reads it back. */
function sent(log: DeltaLog, heldSeq: number, receiverId: number, budget: number, first = true) {
	const writer = new BufferWriter(64);
	beginBatch(writer, CHUNK_SIZE);
	const result: DeltaWrite = { seq: 0, bytes: 0 };
	log.write(KEY, heldSeq, receiverId, writer, budget, first, result);
	const seen: string[] = [];
	readBatch(writer.finish(), receiverId, {
		snapshot() {
			seen.push("snapshot");
		},
		unload() {
			seen.push("unload");
		},
		place(_, seq, object) {
			seen.push(`place ${seq} ${object.handle}${object.placementId !== undefined ? ` ${object.placementId}` : ""}`);
		},
		remove(_, seq, handle) {
			seen.push(`remove ${seq} ${handle}`);
		},
	});
	return { seen, seq: result.seq, bytes: result.bytes, size: writer.size() - 2 };
}

describe("DeltaLog (engine-free)", () => {
	it("keeps a chunk's changes encoded once and gives each receiver those after the sequence it holds, ids to the owner only", () => {
		const log = new DeltaLog();
		log.append(placeChange(5, 11, 100), true);
		log.append(placeChange(6, 12, 200), true);
		log.append(removeChange(7, 11), false);
		expect(log.covers(KEY, 4)).toBe(true);
		expect(log.covers(KEY, 6)).toBe(true);
		expect(log.covers(KEY, 7)).toBe(false);
		expect(log.covers(KEY, 3)).toBe(false);
		// 30-byte places and a 13-byte remove.
		expect(log.bytesAfter(KEY, 4)).toBe(73);
		expect(log.bytesAfter(KEY, 6)).toBe(13);
		const stranger = sent(log, 4, 999, 1000);
		expect(stranger.seen).toEqual(["place 5 11", "place 6 12", "remove 7 11"]);
		expect(stranger.seq).toBe(7);
		expect(stranger.bytes).toBe(stranger.size);
		expect(sent(log, 5, 200, 1000).seen).toEqual(["place 6 12 p12", "remove 7 11"]);
	});

	it("stops at the byte budget (the first entry always goes when asked) and continues from there", () => {
		const log = new DeltaLog();
		for (let seq = 1; seq <= 10; seq++) log.append(placeChange(seq, seq, 100), true);
		const part = sent(log, 0, 999, 100);
		expect(part.seen.size()).toBe(3);
		expect(part.seq).toBe(3);
		expect(part.bytes <= 100).toBe(true);
		expect(sent(log, part.seq, 999, 100).seen[0]).toBe("place 4 4");
		expect(sent(log, 0, 999, 10, true).seen).toEqual(["place 1 1"]);
		expect(sent(log, 0, 999, 10, false).seen).toEqual([]);
	});

	it("starts again from a change that does not follow the logged ones, so a gap is never bridged", () => {
		const log = new DeltaLog();
		log.append(placeChange(1, 1, 100), true);
		log.append(placeChange(2, 2, 100), true);
		log.append(placeChange(5, 5, 100), true);
		expect(log.covers(KEY, 0)).toBe(false);
		expect(log.covers(KEY, 2)).toBe(false);
		expect(log.covers(KEY, 4)).toBe(true);
		expect(sent(log, 4, 999, 1000).seen).toEqual(["place 5 5"]);
		log.drop(KEY);
		expect(log.covers(KEY, 4)).toBe(false);
		expect(log.size()).toEqual({ chunks: 0, bytes: 0 });
	});
});
