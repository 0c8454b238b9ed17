import { Players, Workspace } from "@rbxts/services";

/** The local player's plot as the client sees it: its model and its floor's corner. */
export interface OwnPlot {
	readonly model: Model;
	/** World position of the plot's minimum corner at floor height (the origin of plot-relative positions). */
	readonly origin: Vector3;
}

/** Finds the plot the server assigned to the local player (Workspace.Plots.*, attribute OwnerId). */
export function findOwnPlot(): OwnPlot | undefined {
	const plots = Workspace.FindFirstChild("Plots");
	if (plots === undefined) return undefined;
	const userId = Players.LocalPlayer.UserId;
	for (const model of plots.GetChildren()) {
		if (!model.IsA("Model") || model.GetAttribute("OwnerId") !== userId) continue;
		const floor = model.FindFirstChild("Floor");
		if (floor === undefined || !floor.IsA("BasePart")) continue;
		const centre = floor.CFrame.Position;
		const origin = new Vector3(centre.X - floor.Size.X / 2, centre.Y + floor.Size.Y / 2, centre.Z - floor.Size.Z / 2);
		return { model, origin };
	}
	return undefined;
}
