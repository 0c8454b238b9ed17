import { OnStart, Service } from "@flamework/core";
import { Players, Workspace } from "@rbxts/services";
import Signal from "@rbxts/signal";
import { PlotConfig } from "shared/config/placement-config";
import { plotCountFor, plotOrigin } from "./plot-layout";

/** A build area owned by one player while they are on this server. */
export interface Plot {
	readonly index: number;
	readonly ownerId: number;
	/** World position of the plot's minimum corner at floor height. */
	readonly origin: Vector3;
	/** `origin`'s components as numbers: the placement path reads them without touching a Vector3. */
	readonly originX: number;
	readonly originY: number;
	readonly originZ: number;
	readonly model: Model;
	/** Where the owner's placed objects live. */
	readonly objects: Folder;
}

/** Gives each joining player a plot and takes it back once their build is unloaded. */
@Service()
export class PlotService implements OnStart {
	readonly plotAssigned = new Signal<(player: Player, plot: Plot) => void>();
	private readonly models: Model[] = [];
	private readonly byOwner = new Map<number, Plot>();
	private readonly taken = new Set<number>();

	onStart() {
		const folder = new Instance("Folder");
		folder.Name = "Plots";
		// Every player the server can hold gets a plot.
		const count = plotCountFor(Players.MaxPlayers);
		for (let index = 0; index < count; index++) {
			this.models.push(this.buildPlotModel(index, folder));
		}
		folder.Parent = Workspace;
		Players.PlayerAdded.Connect((player) => this.assign(player));
		for (const player of Players.GetPlayers()) this.assign(player);
	}

	plotOf(player: Player): Plot | undefined {
		return this.byOwner.get(player.UserId);
	}

	plotOfOwner(userId: number): Plot | undefined {
		return this.byOwner.get(userId);
	}

	/** Frees a player's plot; its objects must already be gone. */
	release(userId: number) {
		const plot = this.byOwner.get(userId);
		if (plot === undefined) return;
		this.byOwner.delete(userId);
		this.taken.delete(plot.index);
		plot.model.SetAttribute("OwnerId", undefined);
	}

	private assign(player: Player) {
		if (this.byOwner.has(player.UserId)) return;
		for (let index = 0; index < this.models.size(); index++) {
			if (this.taken.has(index)) continue;
			const model = this.models[index];
			const origin = plotOrigin(index);
			const plot: Plot = {
				index,
				ownerId: player.UserId,
				origin,
				originX: origin.X,
				originY: origin.Y,
				originZ: origin.Z,
				model,
				objects: model.FindFirstChild("Objects") as Folder,
			};
			this.taken.add(index);
			this.byOwner.set(player.UserId, plot);
			model.SetAttribute("OwnerId", player.UserId);
			this.plotAssigned.Fire(player, plot);
			return;
		}
		warn(`no free plot for ${player.Name}`);
	}

	private buildPlotModel(index: number, parent: Folder): Model {
		const model = new Instance("Model");
		model.Name = `Plot${index + 1}`;
		model.SetAttribute("PlotIndex", index);
		const floor = new Instance("Part");
		floor.Name = "Floor";
		floor.Anchored = true;
		floor.Size = new Vector3(PlotConfig.size, 1, PlotConfig.size);
		const origin = plotOrigin(index);
		floor.CFrame = new CFrame(origin.add(new Vector3(PlotConfig.size / 2, -0.5, PlotConfig.size / 2)));
		floor.Parent = model;
		const objects = new Instance("Folder");
		objects.Name = "Objects";
		objects.Parent = model;
		model.Parent = parent;
		return model;
	}
}
