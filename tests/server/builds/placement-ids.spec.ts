import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { BuildRows, isGuid, readGuid, writeGuid } from "server/builds/build-rows";
import { encodedSize, encodedSizeByJson } from "server/builds/build-size";
import { PLACEMENT_ID_LENGTH, PlacementIds } from "server/builds/placement-ids";

describe("placement ids", () => {
	it("are upper-case GUIDs that binary rows store as 16 bytes and read back unchanged", () => {
		const ids = new PlacementIds(HttpService.GenerateGUID(false));
		const scratch = buffer.create(16);
		for (let index = 0; index < 300; index++) {
			const id = ids.next();
			expect(isGuid(id)).toBe(true);
			expect(writeGuid(scratch, 0, id)).toBe(true);
			expect(readGuid(scratch, 0)).toBe(id);
		}
		const rows = new BuildRows([{ id: ids.next(), itemId: "lamp", x: 2, y: 0, z: 4, rotation: 90, placedAt: 1767225600 }]);
		expect(rows.isExact()).toBe(true);
	});

	it("never repeat on one server, and two servers' ids differ", () => {
		const first = new PlacementIds(HttpService.GenerateGUID(false));
		const second = new PlacementIds(HttpService.GenerateGUID(false));
		const seen = new Set<string>();
		for (let index = 0; index < 5000; index++) {
			seen.add(first.next());
			seen.add(second.next());
		}
		expect(seen.size()).toBe(10000);
	});

	it("count up in the last twelve digits after the seed's first twenty", () => {
		const ids = new PlacementIds("0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0");
		expect(ids.next()).toBe("0F1E2D3C-4B5A-4978-8796-000000000001");
		expect(ids.next()).toBe("0F1E2D3C-4B5A-4978-8796-000000000002");
	});

	it("take the same profile characters by arithmetic as by JSON", () => {
		const ids = new PlacementIds(HttpService.GenerateGUID(false));
		const stored = { id: ids.next(), itemId: "lamp", x: 40, y: 0, z: -12, rotation: 270, placedAt: 1767225600 };
		expect(stored.id.size()).toBe(PLACEMENT_ID_LENGTH);
		expect(encodedSize(stored)).toBe(encodedSizeByJson(stored));
		// The placement path counts a server-made id without scanning it: the same figure.
		expect(encodedSize(stored, true)).toBe(encodedSizeByJson(stored));
	});
});
