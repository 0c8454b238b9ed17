import { describe, expect, it } from "@rbxts/jest-globals";
import { BufferWriter } from "shared/streaming/buffer-writer";
import { chunkKey, chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import {
	beginBatch,
	BatchVisitor,
	encodeRecord,
	OBJECT_RECORD_BYTES,
	readBatch,
	StreamedObject,
	writePlace,
	writePlaceEncoded,
	writeRemove,
	writeSnapshot,
	writeUnload,
} from "shared/streaming/chunk-codec";
import { ChunkView } from "shared/streaming/chunk-view";
import { ChunkChange, ChunkDirectory } from "server/object-streaming/chunk-directory";
import { chunksToStreamIn, chunksToStreamOut, streamOut } from "shared/streaming/interest";

function object(handle: number, ownerId: number, x: number, z: number, placementId?: string): StreamedObject {
	return { handle, ownerId, itemId: "chair", x, y: 2.5, z, rotation: 270, placementId };
}

class Recorder implements BatchVisitor {
	readonly seen: defined[] = [];
	snapshot(key: number, seq: number, objects: StreamedObject[]) {
		this.seen.push(["snapshot", key, seq, objects]);
	}
	unload(key: number) {
		this.seen.push(["unload", key]);
	}
	place(key: number, seq: number, placed: StreamedObject) {
		this.seen.push(["place", key, seq, placed]);
	}
	remove(key: number, seq: number, handle: number) {
		this.seen.push(["remove", key, seq, handle]);
	}
}

function records(payload: buffer, receiverId: number) {
	const recorder = new Recorder();
	readBatch(payload, receiverId, recorder);
	return recorder.seen;
}

describe("the streaming wire format", () => {
	const key = chunkKey(2, -3);

	it("round-trips snapshots, unloads, places and removes; only the receiver's own objects carry ids", () => {
		const writer = new BufferWriter(8);
		beginBatch(writer, 64);
		const objects = [object(1, 10, 130, -180, "id-a"), object(2, 11, 150.5, -170.25, "id-b")];
		writeSnapshot(writer, key, 7, objects, 11, 64);
		writePlace(writer, key, 8, object(3, 11, 140, -150, "id-c"), 11, 64);
		writeRemove(writer, key, 9, 1);
		writeUnload(writer, key);
		const seen = records(writer.finish(), 11);
		expect(seen).toEqual([
			["snapshot", key, 7, [{ ...objects[0], placementId: undefined }, objects[1]]],
			["place", key, 8, object(3, 11, 140, -150, "id-c")],
			["remove", key, 9, 1],
			["unload", key],
		]);
	});

	it("grows its buffer whatever the record (a place right at the edge of the initial capacity)", () => {
		for (let capacity = 1; capacity <= 40; capacity++) {
			const writer = new BufferWriter(capacity);
			beginBatch(writer, 64);
			writePlace(writer, key, 1, object(9, 5, 130, -180), 6, 64);
			expect(records(writer.finish(), 6)).toEqual([["place", key, 1, object(9, 5, 130, -180)]]);
		}
	});

	it("writes a place from an already encoded record byte for byte as from the object (any owner index, own or not)", () => {
		for (const receiverId of [11, 12]) {
			const placed = object(3, 11, 140.5, -150.25, "id-c");
			const fromObject = new BufferWriter(4);
			beginBatch(fromObject, 64);
			writePlace(fromObject, key, 8, placed, receiverId, 64);
			const records = buffer.create(OBJECT_RECORD_BYTES * 3);
			encodeRecord(records, OBJECT_RECORD_BYTES * 2, placed, 7, 64, chunkX(key), chunkZ(key));
			const fromRecord = new BufferWriter(4);
			beginBatch(fromRecord, 64);
			writePlaceEncoded(fromRecord, key, 8, placed, records, OBJECT_RECORD_BYTES * 2, receiverId);
			expect(buffer.tostring(fromRecord.finish())).toBe(buffer.tostring(fromObject.finish()));
		}
	});

	it("takes at most 16 bytes per object of other players in a snapshot", () => {
		const writer = new BufferWriter();
		beginBatch(writer, 64);
		const objects: StreamedObject[] = [];
		for (let index = 0; index < 100; index++) objects.push(object(index + 1, 500 + (index % 4), 128 + (index % 60), -192 + math.floor(index / 2), `id-${index}`));
		const before = writer.size();
		writeSnapshot(writer, key, 1, objects, 999, 64);
		expect((writer.size() - before) / objects.size()).toBeLessThanOrEqual(16);
	});

	it("weighs a snapshot at the bytes it writes, the receiver's own ids included", () => {
		const directory = new ChunkDirectory(64);
		const at = (x: number, z: number) => new Vector3(x, 0, z);
		const place = (id: string, ownerId: number, position: Vector3): ChunkChange =>
			directory.add({ id, ownerId, itemId: "chair", position, rotation: 0, placedAt: 0, worldPosition: position });
		let key = 0;
		for (let index = 0; index < 40; index++) key = place(`${string.rep("g", 36)}-${index}`, index % 3 === 0 ? 77 : 500 + (index % 5), at(10 + index, 20)).key;
		// A removed owner's slot stays in the snapshot as a free one.
		place("short", 600, at(11, 21));
		directory.remove("short");
		for (const receiver of [77, 501, 0, 600]) {
			const writer = new BufferWriter();
			const written = directory.writeSnapshotFor(writer, key, receiver);
			expect([receiver, directory.snapshotBytesFor(key, receiver)]).toEqual([receiver, written]);
		}
		expect(directory.snapshotBytesFor(key + 1, 77)).toBe(directory.writeSnapshotFor(new BufferWriter(), key + 1, 77));
	});

	it("a chunk view applies deltas only in sequence and reports the rest", () => {
		const outOfStep: number[] = [];
		const added: number[] = [];
		const view = new ChunkView({
			added: (_, placed) => added.push(placed.handle),
			removed: () => {},
			chunkLoaded: () => {},
			chunkUnloaded: () => {},
			outOfStep: (chunk) => outOfStep.push(chunk),
		});
		view.snapshot(key, 4, [object(1, 1, 130, -180)]);
		view.place(key, 5, object(2, 1, 131, -180));
		view.place(key, 7, object(3, 1, 132, -180));
		view.place(key, 6, object(2, 1, 131, -180));
		expect(added).toEqual([1, 2]);
		expect(outOfStep).toEqual([key]);
		expect(view.inconsistencies).toBe(1);
		expect(view.size()).toBe(2);
	});

	it("interest: own plot first, then nearest; drops past the stream-out radius only", () => {
		const pinned = new Set([chunkKey(5, 5)]);
		const input = { focusX: 32, focusZ: 32, chunkSize: 64, streamInRadius: 70, streamOutRadius: 130, pinned };
		const wanted = chunksToStreamIn(input, new Map());
		expect(wanted[0].key).toBe(chunkKey(5, 5));
		expect(wanted[1].key).toBe(chunkKey(0, 0));
		for (let index = 2; index < wanted.size(); index++) expect(wanted[index].distance >= wanted[index - 1].distance).toBe(true);
		const held = new Map([
			[chunkKey(2, 0), 1],
			[chunkKey(3, 0), 1],
			[chunkKey(5, 5), 1],
		]);
		expect(chunksToStreamOut(input, held)).toEqual([chunkKey(3, 0)]);
	});

	it("interest: the slack a drop check leaves is how far the focus can move before a kept chunk is past the radius", () => {
		const held = new Map<number, number>();
		for (let cx = -4; cx <= 4; cx++) for (let cz = -4; cz <= 4; cz++) held.set(chunkKey(cx, cz), 1);
		const random = new Random(3);
		for (let trial = 0; trial < 50; trial++) {
			const [x, z] = [random.NextNumber(-100, 100), random.NextNumber(-100, 100)];
			const dropped: number[] = [];
			const slack = streamOut(x, z, 64, 200, new Set(), held, dropped);
			const kept = [...held].filter(([key]) => !dropped.includes(key));
			for (const key of dropped) expect(distanceToChunk(x, z, chunkX(key), chunkZ(key), 64) > 200).toBe(true);
			expect(slack >= 0).toBe(true);
			// Anywhere within the slack every kept chunk is still within the radius; one step past it, one is not.
			const angle = random.NextNumber(0, math.pi * 2);
			const within = kept.every(([key]) => distanceToChunk(x + math.cos(angle) * slack * 0.999, z + math.sin(angle) * slack * 0.999, chunkX(key), chunkZ(key), 64) <= 200);
			expect(within).toBe(true);
			const farthest = kept.reduce((best, [key]) => math.max(best, distanceToChunk(x, z, chunkX(key), chunkZ(key), 64)), 0);
			expect(slack).toBeCloseTo(200 - farthest, 6);
		}
	});
});
