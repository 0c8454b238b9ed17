import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { DATASTORE_VALUE_LIMIT, PROFILE_OVERHEAD_RESERVE, encodedSize, fitsInProfile, plainIntegerSize } from "server/builds/build-size";
import { footprintBox, insidePlot, normalizeRotation, snapToGrid } from "shared/placement/footprint";

describe("build size against the DataStore value limit", () => {
	const placement = { id: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", itemId: "wood-wall", x: 12, y: 0, z: 40, rotation: 90, placedAt: 1767225600 };

	it("measures a placement as its JSON plus a separator", () => {
		expect(encodedSize(placement)).toBe(HttpService.JSONEncode(placement).size() + 1);
	});

	it("counts by arithmetic exactly what JSON encoding gives, for every kind of value", () => {
		const random = new Random(11);
		const items = ["chair", "wood-floor", "lamp", "tree"];
		for (let index = 0; index < 300; index++) {
			const sample = {
				id: HttpService.GenerateGUID(false),
				itemId: items[index % items.size()],
				x: random.NextInteger(-99999, 99999),
				y: random.NextInteger(0, 48),
				z: index % 7 === 0 ? random.NextNumber(-10, 10) : random.NextInteger(0, 96),
				rotation: (index % 4) * 90,
				placedAt: 1767225600 + random.NextInteger(0, 1e8),
			};
			expect(encodedSize(sample)).toBe(HttpService.JSONEncode(sample).size() + 1);
		}
		const odd = { ...placement, itemId: 'quote"and\\slash', x: -0, z: 1e20 };
		expect(encodedSize(odd)).toBe(HttpService.JSONEncode(odd).size() + 1);
		// Item ids' sizes are remembered: the second count of the same odd item gives the same figure.
		expect(encodedSize(odd)).toBe(HttpService.JSONEncode(odd).size() + 1);
	});

	it("counts an integer's characters exactly on both sides of every power of ten", () => {
		for (let power = 0; power < 15; power++) {
			for (const value of [10 ** power - 1, 10 ** power, -(10 ** power), -(10 ** power) + 1]) {
				expect(plainIntegerSize(value)).toBe(tostring(value).size());
			}
		}
		expect(plainIntegerSize(1e15)).toBeUndefined();
		expect(plainIntegerSize(0.5)).toBeUndefined();
	});

	it("refuses the placement that would push the build past what one value holds", () => {
		const room = DATASTORE_VALUE_LIMIT - PROFILE_OVERHEAD_RESERVE;
		const size = encodedSize(placement);
		expect(fitsInProfile(room - size, size)).toBe(true);
		expect(fitsInProfile(room - size + 1, size)).toBe(false);
	});
});

describe("placement geometry", () => {
	it("snaps to the grid and accepts only whole rotation steps", () => {
		expect(snapToGrid(10.4, 1)).toBe(10);
		expect(snapToGrid(10.6, 2)).toBe(10);
		// A hair below the floor snaps to plain 0, never -0 (which JSON, and so the profile, keeps).
		expect(1 / snapToGrid(-0.1, 1)).toBe(math.huge);
		expect(normalizeRotation(-90, 90)).toBe(270);
		expect(normalizeRotation(450, 90)).toBe(90);
		expect(normalizeRotation(45, 90)).toBeUndefined();
		expect(normalizeRotation(0 / 0, 90)).toBeUndefined();
	});

	it("turns the footprint with the rotation and keeps it inside the plot", () => {
		const wall = new Vector3(8, 8, 1);
		const straight = footprintBox(new Vector3(10, 0, 10), wall, 0);
		expect([straight.maxX - straight.minX, straight.maxZ - straight.minZ]).toEqual([8, 1]);
		const turned = footprintBox(new Vector3(10, 0, 10), wall, 90);
		expect(turned.maxX - turned.minX).toBeCloseTo(1, 6);
		expect(turned.maxZ - turned.minZ).toBeCloseTo(8, 6);
		expect(insidePlot(footprintBox(new Vector3(4, 0, 4), wall, 0), 96)).toBe(true);
		expect(insidePlot(footprintBox(new Vector3(3, 0, 4), wall, 0), 96)).toBe(false);
	});
});
