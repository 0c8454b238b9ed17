import { describe, expect, it } from "@rbxts/jest-globals";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { findItem } from "shared/catalog/catalog";
import { footprintBox } from "shared/placement/footprint";

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
		worldBox: footprintBox(worldPosition, findItem(itemId)!.footprint, 0),
		placedFrame: -1,
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
});
