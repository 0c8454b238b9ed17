import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { PlotConfig } from "shared/config/placement-config";
import { World } from "../../harness/world";
import { joinBuilder, PERMISSIVE, systemsOf } from "../placement/placement-world";
import { BuildSession } from "./build-session";

function isAccepted(color: Color3): boolean {
	const accepted = BuildUiConfig.ghostAccepted;
	return math.abs(color.R - accepted.R) + math.abs(color.G - accepted.G) + math.abs(color.B - accepted.B) < 1e-3;
}

describe("the ghost's tint agrees with the server's answer", () => {
	const world = new World();
	let server: HeadlessServer;
	let builder: BuildSession;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systemsOf(server).moderation.configure(PERMISSIVE);
		builder = new BuildSession(joinBuilder(world, server, 1501, "Parity").client);
	});
	afterAll(() => world.stop());

	function placements(): TrackedPlacement[] {
		const list: TrackedPlacement[] = [];
		for (const [, placement] of systemsOf(server).tracker.ownedBy(1501)) list.push(placement);
		return list;
	}

	it("for walls, floors and a tree at the plot's edges, turned and overlapping", () => {
		const edge = PlotConfig.size;
		// [slot key, aimed plot point, R presses]: spots just inside, just outside, turned to fit, and on top of others.
		const tries: [Enum.KeyCode, Vector3, number][] = [
			[Enum.KeyCode.One, new Vector3(4, 0, 10), 0], // wall 8 x 1, fits
			[Enum.KeyCode.One, new Vector3(3.4, 0, 30), 0], // snaps to x = 3: sticks out by 1
			[Enum.KeyCode.One, new Vector3(3.4, 0, 30), 1], // turned: 1 x 8, fits
			[Enum.KeyCode.One, new Vector3(edge - 0.6, 0, 50), 1], // turned, 0.5 from the edge: fits
			[Enum.KeyCode.One, new Vector3(edge - 0.4, 0, 60), 1], // snaps onto the edge: sticks out
			[Enum.KeyCode.Two, new Vector3(8, 0, 12), 0], // floor 8 x 8 over the first wall: overlap
			[Enum.KeyCode.Two, new Vector3(20, 0, 20), 0], // floor, free
			[Enum.KeyCode.Two, new Vector3(28, 0, 20), 0], // floor touching the last one's edge: no overlap
			[Enum.KeyCode.Six, new Vector3(edge - 3, 0, edge - 3), 0], // tree 6 x 6 in the far corner
			[Enum.KeyCode.Six, new Vector3(26, 0.5, 22), 0], // aimed at a floor's top: the server refuses
		];
		const verdicts: string[] = [];
		let selected: Enum.KeyCode | undefined;
		let turned = 0;
		for (const [key, point, turns] of tries) {
			// Pressing the selected item's key again would leave build mode.
			if (key !== selected) builder.client.pressKey(key);
			selected = key;
			for (; turned % 4 !== turns; turned++) builder.client.pressKey(Enum.KeyCode.R);
			builder.aimAt(point);
			const predicted = isAccepted(builder.ghost()!.Color);
			const before = placements().size();
			builder.click();
			Headless.frames(12);
			const accepted = placements().size() > before;
			verdicts.push(`${point}: predicted ${predicted}, server ${accepted}`);
		}
		for (const line of verdicts) {
			const [predicted, accepted] = [line.match("predicted (%a+)")[0], line.match("server (%a+)")[0]];
			expect(`${line} (${predicted === accepted ? "agree" : "DISAGREE"})`).toMatch("agree%)$");
		}
		// The set covers both answers.
		expect(verdicts.filter((line) => line.find("server true")[0] !== undefined).size()).toBeGreaterThanOrEqual(4);
		expect(verdicts.filter((line) => line.find("server false")[0] !== undefined).size()).toBeGreaterThanOrEqual(3);
	});
});
