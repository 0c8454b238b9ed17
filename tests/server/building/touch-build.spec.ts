import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { rejectionMessage, RejectionReason } from "shared/placement/rejection-reason";
import { waitUntil, World } from "../../harness/world";
import { joinBuilder, systemsOf } from "../placement/placement-world";
import { BuildSession } from "./build-session";

const { ghostAccepted: GHOST_ACCEPTED, ghostRefused: GHOST_REFUSED, touchButtons: TOUCH_BUTTONS } = BuildUiConfig;

function sameColor(a: Color3, b: Color3): boolean {
	return math.abs(a.R - b.R) + math.abs(a.G - b.G) + math.abs(a.B - b.B) < 1e-3;
}

describe("building on a phone: hotbar taps, touch buttons, tap to aim and tap again to place or remove", () => {
	const world = new World();
	let server: HeadlessServer;
	let tia: BuildSession;
	let watcher: HeadlessClient;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		const phone = world.join(server, { userId: 1601, name: "Tia", touch: true });
		waitUntil(() => systemsOf(server).builds.isLoaded(1601), 60, "Tia's build to load");
		Headless.frames(2);
		tia = new BuildSession(phone);
		watcher = joinBuilder(world, server, 1602, "Watcher").client;
	});
	afterAll(() => world.stop());

	function placements(): TrackedPlacement[] {
		const list: TrackedPlacement[] = [];
		for (const [, placement] of systemsOf(server).tracker.ownedBy(1601)) list.push(placement);
		return list;
	}

	it("offers the removal button on screen, and the mode buttons only once an item is tapped on the hotbar", () => {
		const phoneInput = tia.client.game.GetService("UserInputService");
		expect(phoneInput.TouchEnabled).toBe(true);
		expect(phoneInput.MouseEnabled).toBe(false);
		expect(tia.touchButton(TOUCH_BUTTONS.removal.title)).toBeDefined();
		expect(tia.touchButton(TOUCH_BUTTONS.rotate.title)).toBeUndefined();
		expect(tia.ghost()).toBeUndefined();
		expect(tia.status()).toMatch("^Tap an item");

		tia.tapGui(tia.slot(3));
		expect(tia.status()).toMatch("Building");
		const rotate = tia.touchButton(TOUCH_BUTTONS.rotate.title)!;
		expect(rotate).toBeDefined();
		expect(rotate.Position).toEqual(TOUCH_BUTTONS.rotate.position);
		expect(tia.touchButton(TOUCH_BUTTONS.leave.title)).toBeDefined();
		// No tap in the world yet: nothing to aim at, no ghost, and the hotbar tap placed nothing.
		expect(tia.ghost()).toBeUndefined();
		Headless.frames(6);
		expect(placements().size()).toBe(0);
	});

	it("aims with a tap, turns with the Rotate button, places with a second tap on the same cell; another player sees it", () => {
		tia.tapAt(new Vector3(10.3, 0, 20.4));
		const ghost = tia.ghost()!;
		expect(ghost).toBeDefined();
		expect(sameColor(ghost.Color, GHOST_ACCEPTED)).toBe(true);
		expect(ghost.CFrame.Position.sub(tia.origin.add(new Vector3(10, 2, 20))).Magnitude).toBeLessThan(1e-3);
		expect(placements().size()).toBe(0);

		// A tap on another cell moves the aim there and places nothing.
		tia.tapAt(new Vector3(30, 0, 40));
		expect(ghost.CFrame.Position.sub(tia.origin.add(new Vector3(30, 2, 40))).Magnitude).toBeLessThan(1e-3);
		expect(placements().size()).toBe(0);
		tia.tapAt(new Vector3(10, 0, 20));
		expect(placements().size()).toBe(0);

		tia.tapGui(tia.touchButton(TOUCH_BUTTONS.rotate.title)!);
		Headless.frames(1);
		expect(tia.status()).toMatch("90°");
		expect(ghost.CFrame.LookVector.sub(new Vector3(-1, 0, 0)).Magnitude).toBeLessThan(1e-3);
		expect(placements().size()).toBe(0);

		tia.tapAt(new Vector3(10.2, 0, 19.8));
		const placed = placements();
		expect(placed.size()).toBe(1);
		expect(placed[0].position).toEqual(new Vector3(10, 0, 20));
		expect(placed[0].rotation).toBe(90);
		expect(BuildSession.objectsOf(tia.client, 1601).size()).toBe(1);
		waitUntil(() => BuildSession.objectsOf(watcher, 1601).size() === 1, 2, "the placement to reach the other player");
		expect(tia.slotText(3, "Count")).toBe("1 / 50");
	});

	it("shows why a tap on a taken cell is refused, in a toast", () => {
		// The aim lands on the chair now: a red ghost, and the second tap there says why.
		tia.tapAt(new Vector3(10, 0, 20));
		expect(sameColor(tia.ghost()!.Color, GHOST_REFUSED)).toBe(true);
		expect(tia.toast()).toBeUndefined();
		tia.tapAt(new Vector3(10, 0, 20));
		expect(tia.toast()).toBe(rejectionMessage(RejectionReason.Overlap));
		expect(placements().size()).toBe(1);
	});

	it("removes with the Remove button and two taps on the object: the first highlights, the second removes", () => {
		tia.tapGui(tia.touchButton(TOUCH_BUTTONS.removal.title)!);
		Headless.frames(1);
		expect(tia.status()).toMatch("Removing");
		expect(tia.ghost()).toBeUndefined();
		// The same button now says it stops removal mode.
		expect(tia.touchButton(TOUCH_BUTTONS.removal.title)).toBeUndefined();
		expect(tia.touchButton(TOUCH_BUTTONS.removal.activeTitle)).toBeDefined();
		const target = placements()[0];
		const highlight = tia.camera.FindFirstChild("RemovalHighlight") as Highlight;

		tia.tapAt(new Vector3(10, 1, 20));
		expect(highlight.Enabled).toBe(true);
		expect(highlight.Adornee!.GetAttribute("PlacementId")).toBe(target.id);
		expect(systemsOf(server).tracker.get(target.id)).toBeDefined();

		tia.tapAt(new Vector3(10, 1, 20));
		expect(systemsOf(server).tracker.get(target.id)).toBeUndefined();
		waitUntil(() => BuildSession.objectsOf(watcher, 1601).size() === 0, 2, "the removal to reach the other player");
		expect(tia.slotText(3, "Count")).toBe("0 / 50");
	});

	it("leaves with the Done button, which then goes away", () => {
		tia.tapGui(tia.slot(3));
		expect(tia.status()).toMatch("Building");
		expect(tia.touchButton(TOUCH_BUTTONS.removal.title)).toBeDefined();
		// A new mode starts without an aim: no ghost until the plot is tapped.
		expect(tia.ghost()).toBeUndefined();
		tia.tapGui(tia.touchButton(TOUCH_BUTTONS.leave.title)!);
		Headless.frames(2);
		expect(tia.status()).toBe(`Tap an item to build, ${TOUCH_BUTTONS.removal.title} to remove`);
		expect(tia.ghost()).toBeUndefined();
		expect(tia.touchButton(TOUCH_BUTTONS.leave.title)).toBeUndefined();
		expect(tia.touchButton(TOUCH_BUTTONS.removal.title)).toBeDefined();
	});
});
