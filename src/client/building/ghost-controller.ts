import { Controller, OnStart } from "@flamework/core";
import { CollectionService, Players, ReplicatedStorage, RunService, UserInputService, Workspace } from "@rbxts/services";
import { CatalogItem, findItem } from "shared/catalog/catalog";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { BuildController } from "./build-controller";
import { BuildMode, BuildState } from "./build-store";
import { findOwnPlot, OwnPlot } from "./own-plot";
import { PlacementPreview } from "./placement-preview";

/** A preview model and its parts, made once per item. */
interface Ghost {
	readonly model: Model;
	readonly parts: BasePart[];
}

const RAY_LENGTH = BuildUiConfig.rayLength;
/** Tag on every placed object's model in the world (server models and client-rendered ones alike). */
const PLACED_OBJECT_TAG = "PlacedObject";
const GHOST_ACCEPTED = BuildUiConfig.ghostAccepted;
const GHOST_REFUSED = BuildUiConfig.ghostRefused;
const GHOST_TRANSPARENCY = BuildUiConfig.ghostTransparency;

/**
 * The ghost preview and the removal highlight, updated every frame from a camera ray through
 * the mouse (or, on a touch device, the last tap) against the player's plot and objects.
 * Everything it touches per frame (ray parameters, ghost models, the highlight) is made once;
 * it writes only what changed.
 */
@Controller()
export class GhostController implements OnStart {
	/** Rays in build mode hit the plot and placed objects; in removal mode only placed objects. */
	private readonly buildRay = new RaycastParams();
	private readonly removalRay = new RaycastParams();
	/** The folders placed objects live in (found by their tag), so rays need no per-frame lists. */
	private readonly objectFolders = new Set<Instance>();
	private readonly ghosts = new Map<string, Ghost>();
	private readonly highlight = new Instance("Highlight");
	private plot: OwnPlot | undefined;
	private shownGhost: Ghost | undefined;
	private shownBase = Vector3.zero;
	private shownRotation = -1;
	private shownAccepted = false;
	private highlighted: Model | undefined;
	/** The last tap in the world; aims instead of the mouse until the mouse moves or the mode changes. */
	private touchPoint: Vector2 | undefined;
	private aimMode: BuildMode = "idle";

	constructor(private readonly build: BuildController) {}

	onStart() {
		this.buildRay.FilterType = Enum.RaycastFilterType.Include;
		this.removalRay.FilterType = Enum.RaycastFilterType.Include;
		this.highlight.Name = "RemovalHighlight";
		this.highlight.FillColor = GHOST_REFUSED;
		this.highlight.Enabled = false;
		this.highlight.Parent = Workspace.CurrentCamera;
		CollectionService.GetInstanceAddedSignal(PLACED_OBJECT_TAG).Connect((model) => this.noteObjectFolder(model));
		for (const model of CollectionService.GetTagged(PLACED_OBJECT_TAG)) this.noteObjectFolder(model);
		RunService.RenderStepped.Connect(() => this.update());
		UserInputService.InputChanged.Connect((input) => {
			if (input.UserInputType === Enum.UserInputType.MouseMovement) this.touchPoint = undefined;
		});
	}

	/**
	 * Aims at a tapped viewport point and updates the preview at once. True when the tap lands
	 * on what a tap already aimed at (the same cell in build mode, the same own object in removal
	 * mode): the tap that should place or remove it.
	 */
	aimAtTap(point: Vector2): boolean {
		this.followMode(this.build.store.state().mode);
		const aimedBefore = this.touchPoint !== undefined ? this.aimedTarget() : undefined;
		this.touchPoint = point;
		this.update();
		return aimedBefore !== undefined && aimedBefore === this.aimedTarget();
	}

	/** The ghost model currently in the world, if any (for views and specs). */
	ghost(): Model | undefined {
		return this.shownGhost?.model;
	}

	/** What the aim points at: the snapped cell in build mode, the own object in removal mode. */
	private aimedTarget(): Vector3 | string | undefined {
		const state = this.build.store.state();
		if (state.mode === "build") return state.preview.onPlot ? state.preview.position : undefined;
		if (state.mode === "remove") return state.hoveredPlacementId;
		return undefined;
	}

	/** A tap aims within one mode: a new mode starts without one. */
	private followMode(mode: BuildMode) {
		if (mode === this.aimMode) return;
		this.aimMode = mode;
		this.touchPoint = undefined;
	}

	private update() {
		const state = this.build.store.state();
		this.followMode(state.mode);
		if (state.mode === "idle") return this.hideAll();
		const plot = this.ownPlot();
		if (plot === undefined) return this.hideAll();
		const hit = this.castMouse(state.mode === "remove" ? this.removalRay : this.buildRay);
		if (state.mode === "build") {
			this.showRemovalTarget(undefined);
			this.updateGhost(state, plot, hit);
		} else {
			this.hideGhost();
			this.showRemovalTarget(hit?.Instance);
		}
	}

	private ownPlot(): OwnPlot | undefined {
		if (this.plot === undefined || this.plot.model.Parent === undefined) {
			this.plot = findOwnPlot();
			this.refreshRayFilters();
		}
		return this.plot;
	}

	private noteObjectFolder(model: Instance) {
		const folder = model.Parent;
		if (folder === undefined || this.objectFolders.has(folder)) return;
		this.objectFolders.add(folder);
		this.refreshRayFilters();
	}

	private refreshRayFilters() {
		const folders: Instance[] = [];
		for (const folder of this.objectFolders) folders.push(folder);
		this.removalRay.FilterDescendantsInstances = folders;
		if (this.plot !== undefined) folders.push(this.plot.model);
		this.buildRay.FilterDescendantsInstances = folders;
	}

	private castMouse(params: RaycastParams): RaycastResult | undefined {
		const camera = Workspace.CurrentCamera;
		if (camera === undefined) return undefined;
		let point = this.touchPoint;
		if (point === undefined) {
			// A phone has no pointer until the first tap.
			if (UserInputService.TouchEnabled && !UserInputService.MouseEnabled) return undefined;
			point = UserInputService.GetMouseLocation();
		}
		const ray = camera.ViewportPointToRay(point.X, point.Y);
		return Workspace.Raycast(ray.Origin, ray.Direction.mul(RAY_LENGTH), params);
	}

	private updateGhost(state: Readonly<BuildState>, plot: OwnPlot, hit: RaycastResult | undefined) {
		const item = state.selectedItemId !== undefined ? findItem(state.selectedItemId) : undefined;
		if (item === undefined || hit === undefined) {
			this.build.store.setPreview(false, state.preview.position, undefined);
			return this.hideGhost();
		}
		const relative = hit.Position.sub(plot.origin);
		const position = PlacementPreview.snap(relative.X, relative.Y, relative.Z);
		const coolingDown = os.clock() < state.cooldownUntil;
		const problem = this.build.preview.problemAt(item, position, state.rotation, coolingDown);
		this.build.store.setPreview(true, position, problem);
		this.showGhost(item, plot.origin.add(position), state.rotation, problem === undefined);
	}

	private showGhost(item: CatalogItem, base: Vector3, rotation: number, accepted: boolean) {
		const ghost = this.ghostOf(item);
		if (ghost === undefined) return;
		if (this.shownGhost !== ghost) {
			this.hideGhost();
			this.shownGhost = ghost;
			ghost.model.Parent = Workspace;
			this.shownAccepted = !accepted;
			this.shownRotation = -1;
		}
		// A CFrame is made only when the ghost moves to another cell or turns.
		if (base !== this.shownBase || rotation !== this.shownRotation) {
			this.shownBase = base;
			this.shownRotation = rotation;
			const cframe = new CFrame(base.X, base.Y + item.footprint.Y / 2, base.Z).mul(CFrame.Angles(0, math.rad(rotation), 0));
			for (const part of ghost.parts) part.CFrame = cframe;
		}
		if (accepted !== this.shownAccepted) {
			this.shownAccepted = accepted;
			const color = accepted ? GHOST_ACCEPTED : GHOST_REFUSED;
			for (const part of ghost.parts) part.Color = color;
		}
	}

	private hideGhost() {
		if (this.shownGhost === undefined) return;
		this.shownGhost.model.Parent = undefined;
		this.shownGhost = undefined;
	}

	private hideAll() {
		this.hideGhost();
		this.showRemovalTarget(undefined);
	}

	/** Highlights the object a click would remove: one of the local player's own objects. */
	private showRemovalTarget(part: Instance | undefined) {
		let model = part?.FindFirstAncestorWhichIsA("Model");
		while (model !== undefined && model.GetAttribute("PlacementId") === undefined) {
			model = model.FindFirstAncestorWhichIsA("Model");
		}
		const own = model !== undefined && model.GetAttribute("OwnerId") === Players.LocalPlayer.UserId;
		const placementId = own ? (model!.GetAttribute("PlacementId") as string) : undefined;
		this.build.store.setHovered(placementId);
		if (own) {
			if (this.highlighted !== model) {
				this.highlighted = model;
				this.highlight.Adornee = model;
				this.highlight.Enabled = true;
			}
		} else if (this.highlighted !== undefined) {
			this.highlighted = undefined;
			this.highlight.Enabled = false;
			this.highlight.Adornee = undefined;
		}
	}

	/** One ghost per item, cloned from its catalog model the first time it is shown. */
	private ghostOf(item: CatalogItem): Ghost | undefined {
		const existing = this.ghosts.get(item.id);
		if (existing !== undefined) return existing;
		const template = ReplicatedStorage.FindFirstChild("TS")?.FindFirstChild("catalog")?.FindFirstChild("models")?.FindFirstChild(item.id);
		if (template === undefined || !template.IsA("Model")) return undefined;
		const model = template.Clone();
		model.Name = "BuildGhost";
		const parts: BasePart[] = [];
		for (const part of model.GetDescendants()) {
			if (!part.IsA("BasePart")) continue;
			part.Transparency = GHOST_TRANSPARENCY;
			part.CanCollide = false;
			part.CanQuery = false;
			part.CanTouch = false;
			part.Anchored = true;
			parts.push(part);
		}
		const ghost = { model, parts };
		this.ghosts.set(item.id, ghost);
		return ghost;
	}
}
