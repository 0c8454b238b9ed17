import { describe, expect, it } from "@rbxts/jest-globals";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";

function placement(id: string, ownerId: number, itemId: string, x: number): TrackedPlacement {
	const worldPosition = new Vector3(x, 0, 0);
	return {
		id,
		ownerId,
		itemId,
		position: worldPosition,
		rotation: 0,
		placedAt: 0,
		worldPosition,
	};
}

describe("PlacementTracker counts", () => {
	it("keeps the total, each owner's count and item counts in step through adds, removes and clear", () => {
		const tracker = new PlacementTracker();
		tracker.add(placement("a", 1, "chair", 0));
		tracker.add(placement("b", 1, "chair", 10));
		tracker.add(placement("c", 2, "lamp", 20));
		expect(tracker.totalObjects()).toBe(3);
		expect(tracker.countOwnedBy(1)).toBe(2);
		expect(tracker.countOwnedBy(2)).toBe(1);
		expect(tracker.countOf(1, "chair")).toBe(2);

		expect(tracker.remove("b")?.id).toBe("b");
		expect(tracker.remove("b")).toBeUndefined();
		expect(tracker.totalObjects()).toBe(2);
		expect(tracker.countOwnedBy(1)).toBe(1);
		expect(tracker.countOf(1, "chair")).toBe(1);

		tracker.remove("a");
		expect(tracker.countOwnedBy(1)).toBe(0);
		expect(tracker.countOf(1, "chair")).toBe(0);
		expect(tracker.ownedBy(1).get("a")).toBeUndefined();
		// An owner who comes back after their last object went starts from zero again.
		tracker.add(placement("d", 1, "lamp", 30));
		expect(tracker.countOwnedBy(1)).toBe(1);
		expect(tracker.totalObjects()).toBe(2);

		tracker.clear();
		expect(tracker.totalObjects()).toBe(0);
		expect(tracker.countOwnedBy(1)).toBe(0);
		expect(tracker.countOwnedBy(2)).toBe(0);
		expect(tracker.get("c")).toBeUndefined();
	});

	it("counts placements near a point, of one item when asked, through adds, removes and clear", () => {
		const tracker = new PlacementTracker();
		tracker.add(placement("chair-near", 1, "chair", 0));
		tracker.add(placement("chair-also-near", 2, "chair", 10));
		tracker.add(placement("lamp-near", 1, "lamp", 20));
		tracker.add(placement("chair-far", 1, "chair", 500));
		expect(tracker.countNear(0, 0, 50, 100)).toBe(3);
		expect(tracker.countNear(0, 0, 50, 100, "chair")).toBe(2);
		expect(tracker.countNear(0, 0, 50, 100, "lamp")).toBe(1);
		expect(tracker.countNear(0, 0, 50, 1, "chair")).toBe(1);
		expect(tracker.countNear(0, 0, 50, 100, "table")).toBe(0);

		tracker.remove("chair-near");
		expect(tracker.countNear(0, 0, 50, 100, "chair")).toBe(1);
		expect(tracker.countNear(0, 0, 50, 100)).toBe(2);

		tracker.clear();
		expect(tracker.countNear(0, 0, 50, 100, "lamp")).toBe(0);
		expect(tracker.countNear(500, 0, 50, 100, "chair")).toBe(0);
	});

	it("indexes a footprint from the catalog item (turned with the placement) or the one given, and refuses a placement of no known item whole", () => {
		const tracker = new PlacementTracker();
		// A table is 6 × 4: turned a quarter, it covers x 8..12 and z -3..3 around (10, 0).
		tracker.add({ ...placement("table", 1, "table", 10), rotation: 90 });
		expect(tracker.overlapping({ minX: 11.5, minZ: 2.5, maxX: 12.5, maxZ: 3.5 }, [])).toEqual(["table"]);
		expect(tracker.overlapping({ minX: 12.5, minZ: -1, maxX: 13.5, maxZ: 1 }, [])).toEqual([]);
		// A given footprint is the one indexed, and the one read back.
		tracker.add(placement("given", 1, "chair", 0), { minX: 100, minZ: 100, maxX: 104, maxZ: 104 });
		expect(tracker.overlapping({ minX: 103, minZ: 103, maxX: 110, maxZ: 110 }, [])).toEqual(["given"]);
		expect(tracker.overlapping({ minX: -1, minZ: -1, maxX: 1, maxZ: 1 }, [])).toEqual([]);
		expect(tracker.footprintOf("given", { minX: 0, minZ: 0, maxX: 0, maxZ: 0 })).toEqual({ minX: 100, minZ: 100, maxX: 104, maxZ: 104 });
		expect(tracker.footprintOf("mystery", { minX: 0, minZ: 0, maxX: 0, maxZ: 0 })).toBeUndefined();

		// Refused whole, nothing changed: an unknown item, a footprint that is not finite.
		expect(() => tracker.add(placement("mystery", 1, "no-such-item", 0))).toThrow("unknown item");
		expect(() => tracker.add(placement("nan", 1, "chair", 0), { minX: 0 / 0, minZ: 0, maxX: 1, maxZ: 1 })).toThrow();
		for (const refused of ["mystery", "nan"]) expect(tracker.get(refused)).toBeUndefined();
		expect(tracker.totalObjects()).toBe(2);
		expect(tracker.countOwnedBy(1)).toBe(2);
		expect(tracker.countOf(1, "chair")).toBe(1);
		expect(tracker.countOf(1, "no-such-item")).toBe(0);
	});
});
