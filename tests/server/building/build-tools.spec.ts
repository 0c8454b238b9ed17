import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { BuildUiConfig } from "shared/config/build-ui-config";
import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { PlotConfig } from "shared/config/placement-config";
import { rejectionMessage, RejectionReason } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { joinBuilder, PERMISSIVE, systemsOf } from "../placement/placement-world";
import { BuildSession } from "./build-session";

const { ghostAccepted: GHOST_ACCEPTED, ghostRefused: GHOST_REFUSED, slotIdle: SLOT_IDLE, slotSelected: SLOT_SELECTED } = BuildUiConfig;

function sameColor(a: Color3, b: Color3): boolean {
	return math.abs(a.R - b.R) + math.abs(a.G - b.G) + math.abs(a.B - b.B) < 1e-3;
}

describe("building by hand: hotbar, ghost preview, placing, refusals, removal", () => {
	const world = new World();
	let server: HeadlessServer;
	let ann: BuildSession;
	let watcher: HeadlessClient;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		ann = new BuildSession(joinBuilder(world, server, 1401, "Ann").client);
		watcher = joinBuilder(world, server, 1402, "Watcher").client;
	});
	afterAll(() => world.stop());

	function annPlacements(): TrackedPlacement[] {
		const list: TrackedPlacement[] = [];
		for (const [, placement] of systemsOf(server).tracker.ownedBy(1401)) list.push(placement);
		return list;
	}


	it("shows the catalog in the hotbar with counts and caps, and no mode at first", () => {
		expect(ann.slotText(3, "ItemName")).toBe("Chair");
		expect(ann.slotText(3, "Category")).toBe("furniture");
		expect(ann.slotText(3, "Count")).toBe("0 / 50");
		expect(ann.slotText(3, "Key")).toBe("3");
		expect(ann.status()).toMatch("Press 1");
		expect(ann.ghost()).toBeUndefined();
	});

	it("selects with a number key; the ghost follows the mouse on the grid and turns with R", () => {
		ann.client.pressKey(Enum.KeyCode.Three);
		ann.aimAt(new Vector3(10.3, 0, 20.4));
		expect(ann.status()).toMatch("Building");
		expect(sameColor(ann.slot(3).BackgroundColor3, SLOT_SELECTED)).toBe(true);
		const ghost = ann.ghost()!;
		expect(ghost).toBeDefined();
		expect(sameColor(ghost.Color, GHOST_ACCEPTED)).toBe(true);
		expect(ghost.CanQuery).toBe(false);
		expect(ghost.CFrame.Position.sub(ann.origin.add(new Vector3(10, 2, 20))).Magnitude).toBeLessThan(1e-3);

		ann.client.pressKey(Enum.KeyCode.R);
		Headless.frames(1);
		expect(ann.status()).toMatch("90°");
		expect(ghost.CFrame.LookVector.sub(new Vector3(-1, 0, 0)).Magnitude).toBeLessThan(1e-3);

		// Off the plot's edge the footprint would stick out: the ghost turns red.
		ann.aimAt(new Vector3(PlotConfig.size - 0.2, 0, 30));
		expect(sameColor(ghost.Color, GHOST_REFUSED)).toBe(true);
	});

	it("places on click: the object appears for its owner and for another player, and the count goes up", () => {
		ann.aimAt(new Vector3(10, 0, 20));
		ann.click();
		const placements = annPlacements();
		expect(placements.size()).toBe(1);
		expect(placements[0].position).toEqual(new Vector3(10, 0, 20));
		expect(placements[0].rotation).toBe(90);
		expect(BuildSession.objectsOf(ann.client, 1401).size()).toBe(1);
		expect(BuildSession.objectsOf(watcher, 1401).size()).toBe(1);
		expect(ann.slotText(3, "Count")).toBe("1 / 50");
		// The same spot is taken now: red ghost, and a click says why without asking the server.
		expect(sameColor(ann.ghost()!.Color, GHOST_REFUSED)).toBe(true);
		ann.click();
		expect(ann.toast()).toBe(rejectionMessage(RejectionReason.Overlap));
		expect(annPlacements().size()).toBe(1);
	});

	it("shows the server's refusal and the cooldown's remaining time", () => {
		// The public preset allows 3 of one item near each other; the server refuses the 4th.
		ann.aimAt(new Vector3(20, 0, 20));
		ann.click();
		ann.aimAt(new Vector3(30, 0, 20));
		ann.click();
		expect(annPlacements().size()).toBe(3);
		ann.aimAt(new Vector3(40, 0, 20));
		expect(sameColor(ann.ghost()!.Color, GHOST_ACCEPTED)).toBe(true);
		ann.click();
		expect(ann.toast()).toBe(rejectionMessage(RejectionReason.Moderation));
		// Two more strikes start the cooldown; the next try shows how long it lasts.
		ann.click();
		ann.click();
		ann.click();
		expect(ann.toast()).toMatch(rejectionMessage(RejectionReason.Cooldown));
		expect(ann.toast()).toMatch("s left%)");
		const seconds = tonumber(ann.toast()!.match("(%d+) s left")[0] as string)!;
		expect(seconds).toBeGreaterThan(25);
		expect(seconds).toBeLessThanOrEqual(30);
		Headless.seconds(5);
		const later = tonumber(ann.toast()!.match("(%d+) s left")[0] as string)!;
		// The toast redraws four times a second, so it may still show the second before.
		expect(later).toBeGreaterThanOrEqual(seconds - 5);
		expect(later).toBeLessThanOrEqual(seconds - 4);
		// While cooling down the preview says so too.
		expect(sameColor(ann.ghost()!.Color, GHOST_REFUSED)).toBe(true);
		expect(annPlacements().size()).toBe(3);
	});

	it("removes the object under the mouse in removal mode, highlighted first", () => {
		ann.client.pressKey(Enum.KeyCode.X);
		ann.aimAt(new Vector3(10, 1, 20));
		expect(ann.status()).toMatch("Removing");
		expect(ann.ghost()).toBeUndefined();
		const target = annPlacements().find((placement) => placement.position.X === 10)!;
		const highlight = ann.camera.FindFirstChild("RemovalHighlight") as Highlight;
		expect(highlight.Enabled).toBe(true);
		expect(highlight.Adornee!.GetAttribute("PlacementId")).toBe(target.id);
		ann.click();
		expect(systemsOf(server).tracker.get(target.id)).toBeUndefined();
		waitUntil(() => BuildSession.objectsOf(watcher, 1401).size() === 2, 2, "the removal to reach the other player");
		expect(ann.slotText(3, "Count")).toBe("2 / 50");
		// Bare floor under the mouse: nothing highlighted, a click removes nothing.
		ann.aimAt(new Vector3(70, 0, 70));
		expect(highlight.Enabled).toBe(false);
		ann.click();
		expect(annPlacements().size()).toBe(2);
	});

	it("leaves with Q; a click on a hotbar slot selects it and never reaches the world", () => {
		ann.client.pressKey(Enum.KeyCode.Q);
		Headless.frames(1);
		expect(ann.status()).toMatch("Press 1");
		expect(ann.ghost()).toBeUndefined();
		ann.clickGui(ann.slot(1));
		expect(ann.status()).toMatch("Building");
		expect(sameColor(ann.slot(1).BackgroundColor3, SLOT_SELECTED)).toBe(true);
		expect(sameColor(ann.slot(3).BackgroundColor3, SLOT_IDLE)).toBe(true);
		Headless.frames(6);
		expect(annPlacements().size()).toBe(2);
		ann.client.pressKey(Enum.KeyCode.Escape);
		Headless.frames(1);
		expect(ann.status()).toMatch("Press 1");
	});
});

describe("a double click, the second sent before the server answers the first", () => {
	const world = new World();
	let server: HeadlessServer;
	let bea: BuildSession;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systemsOf(server).moderation.configure(PERMISSIVE);
		bea = new BuildSession(joinBuilder(world, server, 1403, "Bea").client);
	});
	afterAll(() => world.stop());

	function beasObjects(): number {
		return systemsOf(server).tracker.countOwnedBy(1403);
	}

	it("places once and removes once, and shows no refusal for the second click", () => {
		bea.client.pressKey(Enum.KeyCode.Three);
		bea.aimAt(new Vector3(30, 0, 30));
		bea.client.click();
		bea.client.click();
		Headless.frames(6);
		expect(beasObjects()).toBe(1);
		expect(bea.toast()).toBeUndefined();
		// Once answered, a click on the same spot is asked again (and refused as taken).
		bea.click();
		expect(bea.toast()).toBe(rejectionMessage(RejectionReason.Overlap));

		bea.client.pressKey(Enum.KeyCode.X);
		bea.aimAt(new Vector3(30, 1, 30));
		bea.client.click();
		bea.client.click();
		Headless.frames(6);
		expect(beasObjects()).toBe(0);
		expect(bea.toast()).never.toBe(rejectionMessage(RejectionReason.NotFound));
	});
});
