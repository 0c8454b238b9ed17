import { Players, Workspace } from "@rbxts/services";
import { PlotConfig } from "shared/config/placement-config";

/** Walking speed of a character, in studs per second. */
const WALK_SPEED = 16;

function ownPlotCentre(): Vector3 | undefined {
	const plots = Workspace.FindFirstChild("Plots");
	const userId = Players.LocalPlayer.UserId;
	for (const plot of plots?.GetChildren() ?? []) {
		if (plot.GetAttribute("OwnerId") !== userId) continue;
		const floor = plot.FindFirstChild("Floor") as BasePart | undefined;
		if (floor !== undefined) return floor.CFrame.Position;
	}
	return undefined;
}

function walkTo(root: BasePart, target: Vector3) {
	for (;;) {
		const position = root.CFrame.Position;
		const offset = new Vector3(target.X - position.X, 0, target.Z - position.Z);
		const step = WALK_SPEED * task.wait();
		if (offset.Magnitude <= step) {
			root.CFrame = new CFrame(target.X, position.Y, target.Z);
			return;
		}
		const reached = position.add(offset.Unit.mul(step));
		root.CFrame = new CFrame(reached.X, position.Y, reached.Z);
	}
}

/**
 * Moves the bot's own character as a player would: from the spawn to its plot, then strolling
 * around it (the client owns its character, so the server sees every step).
 */
export function walkAroundOwnPlot(seed: number) {
	const random = new Random(seed);
	task.spawn(() => {
		let centre: Vector3 | undefined;
		while ((centre = ownPlotCentre()) === undefined) task.wait(0.5);
		for (;;) {
			const root = Players.LocalPlayer.Character?.FindFirstChild("HumanoidRootPart") as BasePart | undefined;
			if (root === undefined) {
				task.wait(1);
				continue;
			}
			const half = PlotConfig.size / 2;
			walkTo(root, new Vector3(centre.X + random.NextNumber(-half, half), 0, centre.Z + random.NextNumber(-half, half)));
			task.wait(random.NextNumber(2, 6));
		}
	});
}
