import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { BuildRows, decodeRows, isGuid, readGuid, ROW_BYTES, rowsChecksum, writeGuid, writeRow } from "server/builds/build-rows";
import type { ManifestEntry } from "server/data-backup/backup-types";
import { decodeBinaryPayload, encodeBinaryPayload } from "server/data-backup/binary-codec";
import { rebuildPlayer } from "server/data-backup/rebuild";
import { FrameBudget } from "server/performance/frame-budget";
import type { StoredPlacement } from "server/player-data/player-data";

const NO_YIELD = new FrameBudget(1, false);

function placement(index: number): StoredPlacement {
	return {
		id: HttpService.GenerateGUID(false),
		itemId: ["chair", "lamp", "tree"][index % 3],
		x: (index % 90) - 45,
		y: index % 7,
		z: 20 - (index % 40),
		rotation: (index % 4) * 90,
		placedAt: 1767225600 + index * 7919,
	};
}

function bytesOf(rows: BuildRows): string {
	const snapshot = rows.snapshot();
	return buffer.readstring(snapshot.rows, 0, snapshot.count * ROW_BYTES);
}

/** The placements a build's rows hold, in row order, after checking the kept checksum against the bytes. */
function contentOf(rows: BuildRows): StoredPlacement[] {
	const snapshot = rows.snapshot();
	const out: StoredPlacement[] = [];
	expect(decodeRows(snapshot.rows, 0, snapshot.count, snapshot.items, out)).toBe(rows.checksum());
	return out;
}

function entryOf(id: string, userId: number, checksum: string, kind: "full" | "incremental" = "full"): ManifestEntry {
	return { id, kind, createdAt: 0, players: [userId], revisions: [1], snapshots: kind === "full" ? [userId] : [], size: 0, checksum, chunks: 1 };
}

describe("GUID text and row bytes", () => {
	it("round-trips upper-case GUIDs through 16 raw bytes, edge digits included", () => {
		const ids = ["00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "01234567-89AB-CDEF-0123-456789ABCDEF"];
		for (let index = 0; index < 50; index++) ids.push(HttpService.GenerateGUID(false));
		const target = buffer.create(16);
		for (const id of ids) {
			expect(isGuid(id)).toBe(true);
			expect(writeGuid(target, 0, id)).toBe(true);
			expect(readGuid(target, 0)).toBe(id);
		}
	});

	it("refuses lower-case and malformed ids, so they never come back changed", () => {
		const upper = "01234567-89AB-CDEF-0123-456789ABCDEF";
		const refused = [upper.lower(), "01234567-89ab-CDEF-0123-456789ABCDEF", `{${upper}}`, upper.sub(1, 35), `${upper}0`, upper.gsub("-", "_")[0], "0123456789AB-CDEF-0123-456789ABCDEF-", `G${upper.sub(2)}`, "not-a-guid", ""];
		const target = buffer.create(16);
		for (const id of refused) {
			expect(isGuid(id)).toBe(false);
			expect(writeGuid(target, 0, id)).toBe(false);
		}
		// A build holding a lower-case id is not exact: its backups carry it as JSON, unchanged.
		const lower = { ...placement(1), id: HttpService.GenerateGUID(false).lower() };
		const rows = new BuildRows([placement(0), lower]);
		expect(rows.isExact()).toBe(false);
		const encoded = encodeBinaryPayload("1767225600_9", "full", new Map([[5, { revision: 2, snapshot: [[lower.id, lower.itemId, lower.x, lower.y, lower.z, lower.rotation, lower.placedAt]] }]]) as never, NO_YIELD);
		const payload = decodeBinaryPayload(encoded.data, "1767225600_9", encoded.checksum);
		assert(!typeIs(payload, "string"), `decode failed: ${payload}`);
		expect(payload.players["5"].snapshot![0][0]).toBe(lower.id);
	});

	it("keeps the row layout of format 2: id words, item, x, y, z, rotation steps, placedAt, little-endian", () => {
		const target = buffer.create(ROW_BYTES);
		const hash = writeRow(target, 0, { id: "01234567-89AB-CDEF-0123-456789ABCDEF", itemId: "chair", x: -3, y: 5, z: 7, rotation: 270, placedAt: 0x11223344 }, 2);
		const bytes: number[] = [];
		for (let at = 0; at < ROW_BYTES; at++) bytes.push(buffer.readu8(target, at));
		expect(bytes).toEqual([
			0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 2, 0, 0xfd, 0xff, 5, 0, 7, 0, 3, 0x44, 0x33, 0x22, 0x11,
		]);
		expect(hash).toBe(rowsChecksum(target, 0, 1));
	});

	it("writes nothing for a placement off the grid or out of range, and counts it as not fitting", () => {
		const target = buffer.create(ROW_BYTES);
		const base = placement(3);
		const unfit = [{ ...base, x: 1.5 }, { ...base, y: 40000 }, { ...base, z: 0 / 0 }, { ...base, rotation: 45 }, { ...base, placedAt: -1 }, { ...base, placedAt: 2 ** 32 }, { ...base, x: math.huge }];
		for (const odd of unfit) {
			expect(writeRow(target, 0, odd, 0)).toBe(undefined);
			expect(buffer.readu32(target, 0)).toBe(0);
		}
		const rows = new BuildRows(unfit.map((odd, index) => ({ ...odd, id: `${index}` })));
		expect(rows.isExact()).toBe(false);
		expect(rows.size()).toBe(0);
		expect(rows.snapshot().items).toEqual([]);
	});

	it("decodes rows to the placements they were built from, with the same checksum", () => {
		const placements: StoredPlacement[] = [];
		for (let index = 0; index < 300; index++) placements.push(placement(index));
		placements.push({ ...placement(301), x: -32768, y: 32767, z: 0, rotation: 270, placedAt: 2 ** 32 - 1 });
		const rows = new BuildRows(placements);
		const snapshot = rows.snapshot();
		const out: StoredPlacement[] = [];
		expect(decodeRows(snapshot.rows, 0, snapshot.count, snapshot.items, out)).toBe(rows.checksum());
		expect(out).toEqual(placements);
		expect(rows.checksum()).toBe(rowsChecksum(snapshot.rows, 0, snapshot.count));
		expect(decodeRows(snapshot.rows, 0, snapshot.count, ["chair"], [])).toBe(undefined);
	});
});

describe("a restored build's rows", () => {
	it("come from the payload by one copy and equal rows built from the placements, checksum included", () => {
		const placements: StoredPlacement[] = [];
		for (let index = 0; index < 120; index++) placements.push(placement(index));
		const live = new BuildRows(placements);
		for (let index = 0; index < 120; index += 5) live.remove(placements[index].id);
		const kept = placements.filter((_, index) => index % 5 !== 0);
		const encoded = encodeBinaryPayload("1767225600_4", "full", new Map([[21, { revision: 8, rows: live.snapshot() }]]), NO_YIELD);
		const payload = decodeBinaryPayload(encoded.data, "1767225600_4", encoded.checksum);
		assert(!typeIs(payload, "string"), `decode failed: ${payload}`);
		const outcome = rebuildPlayer(21, [entryOf("1767225600_4", 21, encoded.checksum)], () => payload.players["21"]);
		const build = outcome.build!;
		const restored = build.rows!;
		expect(restored).toBeDefined();
		const fresh = new BuildRows(build.placements);
		expect(restored.size()).toBe(kept.size());
		// The payload's rows as they are: the live build's bytes, item order and checksum.
		expect(restored.checksum()).toBe(live.checksum());
		expect(bytesOf(restored) === bytesOf(live)).toBe(true);
		expect(restored.snapshot().items).toEqual(live.snapshot().items);
		// And the same build as rows made from the placements (those number items in row order).
		expect(contentOf(restored)).toEqual(contentOf(fresh));
		expect(contentOf(restored)).toEqual(build.placements);
		expect(restored.idList()).toEqual(build.placements.map((placement) => placement.id));
		expect([...build.placements].sort((a, b) => a.id < b.id)).toEqual([...kept].sort((a, b) => a.id < b.id));

		// Both stay in step through later places and removes, and the payload is not touched.
		const payloadBefore = buffer.readstring(encoded.data, 0, buffer.len(encoded.data));
		for (let index = 200; index < 260; index++) {
			const more = placement(index);
			restored.add(more);
			fresh.add(more);
		}
		for (let index = 1; index < 120; index += 4) {
			restored.remove(placements[index].id);
			fresh.remove(placements[index].id);
		}
		expect(contentOf(restored)).toEqual(contentOf(fresh));
		expect(restored.idList()).toEqual(fresh.idList());
		expect(buffer.readstring(encoded.data, 0, buffer.len(encoded.data)) === payloadBefore).toBe(true);

		// Each restore gets rows of its own.
		const again = rebuildPlayer(21, [entryOf("1767225600_4", 21, encoded.checksum)], () => payload.players["21"]).build!.rows!;
		expect(again.size()).toBe(kept.size());
		expect(again.checksum()).toBe(live.checksum());
	});

	it("are left to the loader when changes go on top of the whole build", () => {
		const placements = [placement(0), placement(1), placement(2)];
		const added = placement(3);
		const full = encodeBinaryPayload("1767225600_1", "full", new Map([[21, { revision: 1, rows: new BuildRows(placements).snapshot() }]]), NO_YIELD);
		const changes = encodeBinaryPayload(
			"1767225600_2",
			"incremental",
			new Map([[21, { revision: 2, base: 1, added: [[added.id, added.itemId, added.x, added.y, added.z, added.rotation, added.placedAt]], removed: [placements[0].id] }]]) as never,
			NO_YIELD,
		);
		const first = decodeBinaryPayload(full.data, "1767225600_1", full.checksum);
		const second = decodeBinaryPayload(changes.data, "1767225600_2", changes.checksum);
		assert(!typeIs(first, "string") && !typeIs(second, "string"), "decode failed");
		const entries = [entryOf("1767225600_1", 21, full.checksum), { ...entryOf("1767225600_2", 21, changes.checksum, "incremental"), revisions: [2], bases: [1] }];
		const outcome = rebuildPlayer(21, entries, (entry) => (entry.id === "1767225600_1" ? first : second).players["21"]);
		expect(outcome.build!.revision).toBe(2);
		expect(outcome.build!.rows).toBe(undefined);
		expect(outcome.build!.placements.map((placement) => placement.id).sort()).toEqual([placements[1].id, placements[2].id, added.id].sort());
	});

	it("are refused when the payload's rows repeat an id, and the build comes back from its placements", () => {
		const one = placement(0);
		const snapshot = new BuildRows([one, placement(1)]).snapshot();
		// A row repeated: the live build never writes that, so the restore does not trust the rows.
		buffer.copy(snapshot.rows, ROW_BYTES, snapshot.rows, 0, ROW_BYTES);
		const repeated = { ...snapshot, checksum: rowsChecksum(snapshot.rows, 0, 2) };
		const encoded = encodeBinaryPayload("1767225600_5", "full", new Map([[21, { revision: 3, rows: repeated }]]), NO_YIELD);
		const payload = decodeBinaryPayload(encoded.data, "1767225600_5", encoded.checksum);
		assert(!typeIs(payload, "string"), `decode failed: ${payload}`);
		const build = rebuildPlayer(21, [entryOf("1767225600_5", 21, encoded.checksum)], () => payload.players["21"]).build!;
		expect(build.rows).toBe(undefined);
		expect(build.placements.size()).toBe(2);
		expect(new BuildRows(build.placements).size()).toBe(1);
	});
});
