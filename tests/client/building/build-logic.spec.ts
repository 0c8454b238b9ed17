import { describe, expect, it } from "@rbxts/jest-globals";
import { Players } from "@rbxts/services";
import type { BuildState, BuildStore as BuildStoreClass } from "client/building/build-store";
import type { OwnFootprints as OwnFootprintsClass } from "client/building/own-footprints";
import type { PlacementPreview as PlacementPreviewClass } from "client/building/placement-preview";
import { findItem } from "shared/catalog/catalog";
import { PlotConfig } from "shared/config/placement-config";
import { RejectionReason } from "shared/placement/rejection-reason";

/** The client's own copy of a module under PlayerScripts.TS (client code is not importable from specs). */
function clientModule<T>(...path: string[]): T {
	let current: Instance = Players.LocalPlayer.WaitForChild("PlayerScripts").WaitForChild("TS");
	for (const name of path) current = current.WaitForChild(name);
	return require(current as ModuleScript) as T;
}

const { BuildStore } = clientModule<{ BuildStore: typeof BuildStoreClass }>("building", "build-store");
const { OwnFootprints } = clientModule<{ OwnFootprints: typeof OwnFootprintsClass }>("building", "own-footprints");
const { PlacementPreview } = clientModule<{ PlacementPreview: typeof PlacementPreviewClass }>("building", "placement-preview");

describe("BuildStore", () => {
	it("selects, toggles removal, rotates in steps and leaves", () => {
		const store = new BuildStore();
		store.selectItem("chair");
		expect(store.state().mode).toBe("build");
		expect(store.state().selectedItemId).toBe("chair");
		for (let turn = 0; turn < 5; turn++) store.rotate();
		expect(store.state().rotation).toBe(90);
		store.toggleRemoval();
		expect(store.state().mode).toBe("remove");
		store.selectItem("lamp");
		expect(store.state().mode).toBe("build");
		store.selectItem("lamp"); // the selected item again leaves
		expect(store.state().mode).toBe("idle");
	});

	it("tells views about the preview only when what it shows changes", () => {
		const store = new BuildStore();
		let changes = 0;
		store.changed.Connect(() => changes++);
		store.selectItem("chair");
		task.wait(); // handlers of the store's signal run deferred
		changes = 0;
		for (let frame = 0; frame < 10; frame++) store.setPreview(true, new Vector3(4, 0, 4), undefined);
		task.wait();
		expect(changes).toBe(1);
		store.setPreview(true, new Vector3(4, 0, 4), RejectionReason.Overlap);
		store.setPreview(true, new Vector3(5, 0, 4), RejectionReason.Overlap);
		task.wait();
		expect(changes).toBe(3);
	});

	it("keeps a toast for its time, or until the cooldown it counts down is over", () => {
		const store = new BuildStore();
		store.showToast("first", 100, 3);
		expect(store.expireToast(102.9)).toBe(false);
		expect(store.expireToast(103)).toBe(true);
		expect(store.state().toast).toBeUndefined();
		store.showToast("cooling", 100, 3, 130);
		expect(store.expireToast(110)).toBe(false);
		expect((store.state() as BuildState).toast!.countdownUntil).toBe(130);
		expect(store.expireToast(130)).toBe(true);
	});
});

describe("PlacementPreview", () => {
	const chair = findItem("chair")!;
	const wall = findItem("wood-wall")!;

	it("refuses what the server refuses, in the server's order", () => {
		const own = new OwnFootprints();
		const preview = new PlacementPreview(own);
		expect(preview.problemAt(wall, new Vector3(4, 0, 10), 0, false)).toBeUndefined();
		expect(preview.problemAt(wall, new Vector3(3, 0, 10), 0, false)).toBe(RejectionReason.OutsidePlot);
		expect(preview.problemAt(wall, new Vector3(3, 0, 10), 90, false)).toBeUndefined();
		expect(preview.problemAt(wall, new Vector3(4, -1, 10), 0, false)).toBe(RejectionReason.OutsidePlot);
		expect(preview.problemAt(wall, new Vector3(4, 41, 10), 0, false)).toBe(RejectionReason.TooHigh);
		expect(preview.problemAt(chair, new Vector3(PlotConfig.size - 1, 0, 10), 0, false)).toBeUndefined();

		own.add({ id: "a", ownerId: 1, itemId: "chair", position: new Vector3(10, 0, 10), rotation: 0, placedAt: 0 });
		expect(preview.problemAt(chair, new Vector3(11, 0, 10), 0, false)).toBe(RejectionReason.Overlap);
		expect(preview.problemAt(chair, new Vector3(12, 0, 10), 0, false)).toBeUndefined(); // edges touch
		expect(preview.problemAt(chair, new Vector3(12, 0, 10), 0, true)).toBe(RejectionReason.Cooldown);
		own.remove("a");
		expect(preview.problemAt(chair, new Vector3(11, 0, 10), 0, false)).toBeUndefined();
	});

	it("refuses past the per-player cap", () => {
		const own = new OwnFootprints();
		const preview = new PlacementPreview(own);
		const lamp = findItem("lamp")!;
		for (let index = 0; index < lamp.perPlayerCap; index++) {
			own.add({ id: `l${index}`, ownerId: 1, itemId: "lamp", position: new Vector3(index * 2, 0, 0), rotation: 0, placedAt: 0 });
		}
		expect(own.countOf("lamp")).toBe(lamp.perPlayerCap);
		expect(preview.problemAt(lamp, new Vector3(50, 0, 50), 0, false)).toBe(RejectionReason.ItemCap);
	});

	it("snaps like the server", () => {
		expect(PlacementPreview.snap(10.4, 0.2, 20.6)).toEqual(new Vector3(10, 0, 21));
	});
});
