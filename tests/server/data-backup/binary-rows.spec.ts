import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { BuildRows, ROW_BYTES, rowsChecksum } from "server/builds/build-rows";
import { decodeBinaryPayload, encodeBinaryPayload, joinBuffers, splitBuffer } from "server/data-backup/binary-codec";
import { FrameBudget } from "server/performance/frame-budget";
import type { StoredPlacement } from "server/player-data/player-data";

function placement(index: number): StoredPlacement {
	return { id: HttpService.GenerateGUID(false), itemId: index % 2 === 0 ? "chair" : "lamp", x: index % 90, y: index % 7, z: (index % 40) - 20, rotation: (index % 4) * 90, placedAt: 1767225600 + index };
}

const byId = (a: StoredPlacement, b: StoredPlacement) => a.id < b.id;
const NO_YIELD = new FrameBudget(1, false);

describe("builds as binary rows", () => {
	it("keeps rows and checksum in step with every place and remove", () => {
		const placements: StoredPlacement[] = [];
		for (let index = 0; index < 40; index++) placements.push(placement(index));
		const rows = new BuildRows(placements.filter((_, index) => index < 30));
		for (let index = 30; index < 40; index++) rows.add(placements[index]);
		for (let index = 0; index < 40; index += 3) rows.remove(placements[index].id);
		const snapshot = rows.snapshot();
		expect(snapshot.count).toBe(40 - 14);
		expect(buffer.len(snapshot.rows)).toBe(snapshot.count * ROW_BYTES);
		expect(snapshot.checksum).toBe(rowsChecksum(snapshot.rows, 0, snapshot.count));
		const kept = placements.filter((_, index) => index % 3 !== 0);
		const fresh = new BuildRows(kept);
		expect(fresh.checksum()).toBe(rows.checksum());
		expect(rows.isExact()).toBe(true);
	});

	it("round-trips a backup through buffer chunks exactly, whole builds and changes", () => {
		const build: StoredPlacement[] = [];
		for (let index = 0; index < 25; index++) build.push(placement(index));
		const odd = { id: "not-a-guid", itemId: "chair", x: 1.5, y: 0, z: 2, rotation: 0, placedAt: 5 };
		const added = placement(99);
		const players = new Map([
			[11, { revision: 4, rows: new BuildRows(build).snapshot() }],
			[12, { revision: 9, base: 7, added: [[added.id, added.itemId, added.x, added.y, added.z, added.rotation, added.placedAt]], removed: [build[0].id] }],
			[13, { revision: 2, snapshot: [[odd.id, odd.itemId, odd.x, odd.y, odd.z, odd.rotation, odd.placedAt]] }],
		]);
		const encoded = encodeBinaryPayload("1767225600_3", "incremental", players as never, NO_YIELD);
		const data = joinBuffers(splitBuffer(encoded.data, 100));
		const payload = decodeBinaryPayload(data, "1767225600_3", encoded.checksum);
		assert(!typeIs(payload, "string"), `decode failed: ${payload}`);
		expect([...payload.players["11"].placements!].sort(byId)).toEqual([...build].sort(byId));
		expect(payload.players["12"]).toEqual({ revision: 9, base: 7, added: [[added.id, added.itemId, added.x, added.y, added.z, added.rotation, added.placedAt]], removed: [build[0].id] });
		// A placement that does not fit a row travels as JSON, unchanged.
		expect(payload.players["13"].snapshot).toEqual([[odd.id, odd.itemId, odd.x, odd.y, odd.z, odd.rotation, odd.placedAt]]);

		// Any flipped bit past the header (ids, names, rows, removals, JSON entries) is caught.
		for (let at = 40; at < buffer.len(data); at += 7) {
			const flipped = buffer.create(buffer.len(data));
			buffer.copy(flipped, 0, data, 0, buffer.len(data));
			buffer.writeu8(flipped, at, bit32.bxor(buffer.readu8(flipped, at), 4));
			expect(typeIs(decodeBinaryPayload(flipped, "1767225600_3", encoded.checksum), "string")).toBe(true);
		}
		expect(decodeBinaryPayload(data, "1767225600_3", "00000000")).toMatch("checksum");
	});
});
