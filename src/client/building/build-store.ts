import Signal from "@rbxts/signal";
import { PlacementConfig } from "shared/config/placement-config";
import { RejectionReason } from "shared/placement/rejection-reason";

/** What the player is doing with the build tools. */
export type BuildMode = "idle" | "build" | "remove";

/** The ghost preview under the mouse; mutated in place every frame, never replaced. */
export interface PreviewState {
	/** Whether the mouse points at the player's plot (or one of their objects) this frame. */
	onPlot: boolean;
	/** Snapped base centre, relative to the plot corner (valid while `onPlot`). */
	position: Vector3;
	/** Why the server would refuse it, or undefined when it would be accepted as far as the client knows. */
	problem: RejectionReason | undefined;
}

/** A short message shown to the player. */
export interface Toast {
	readonly message: string;
	/** Clock time (os.clock) after which it is hidden. */
	readonly until: number;
	/** When set, the toast counts down the seconds left until this clock time. */
	readonly countdownUntil?: number;
}

/** Everything the build tools and their UI show, in one place. */
export interface BuildState {
	mode: BuildMode;
	selectedItemId: string | undefined;
	/** Degrees about Y, a multiple of PlacementConfig.rotationStep. */
	rotation: number;
	/** The placement under the mouse that removal mode would remove. */
	hoveredPlacementId: string | undefined;
	toast: Toast | undefined;
	/** Clock time until which the server refuses building (a moderation cooldown). */
	cooldownUntil: number;
	/** The server's latest answer said the change is not saved durably yet ("saving delayed"). */
	savingDelayed: boolean;
	readonly preview: PreviewState;
}

/**
 * The one store of build state. Changes go through its methods, which fire `changed` once per
 * change that a view shows (the per-frame preview fields fire only when what they show changes).
 */
export class BuildStore {
	readonly changed = new Signal<(state: Readonly<BuildState>) => void>();
	private readonly current: BuildState = {
		mode: "idle",
		selectedItemId: undefined,
		rotation: 0,
		hoveredPlacementId: undefined,
		toast: undefined,
		cooldownUntil: 0,
		savingDelayed: false,
		preview: { onPlot: false, position: Vector3.zero, problem: undefined },
	};

	state(): Readonly<BuildState> {
		return this.current;
	}

	/** Selects an item and enters build mode; selecting the selected item again leaves it. */
	selectItem(itemId: string) {
		if (this.current.mode === "build" && this.current.selectedItemId === itemId) return this.leave();
		this.current.mode = "build";
		this.current.selectedItemId = itemId;
		this.current.hoveredPlacementId = undefined;
		this.emit();
	}

	/** Toggles removal mode. */
	toggleRemoval() {
		if (this.current.mode === "remove") return this.leave();
		this.current.mode = "remove";
		this.current.preview.onPlot = false;
		this.emit();
	}

	leave() {
		if (this.current.mode === "idle") return;
		this.current.mode = "idle";
		this.current.hoveredPlacementId = undefined;
		this.current.preview.onPlot = false;
		this.emit();
	}

	/** Turns the preview one configured step clockwise. */
	rotate() {
		this.current.rotation = (this.current.rotation + PlacementConfig.rotationStep) % 360;
		this.emit();
	}

	/** Records this frame's preview; fires `changed` only when what it shows changed. */
	setPreview(onPlot: boolean, position: Vector3, problem: RejectionReason | undefined) {
		const preview = this.current.preview;
		const changed = preview.onPlot !== onPlot || preview.problem !== problem || preview.position !== position;
		preview.onPlot = onPlot;
		preview.position = position;
		preview.problem = problem;
		if (changed) this.emit();
	}

	setHovered(placementId: string | undefined) {
		if (this.current.hoveredPlacementId === placementId) return;
		this.current.hoveredPlacementId = placementId;
		this.emit();
	}

	showToast(message: string, now: number, seconds: number, countdownUntil?: number) {
		this.current.toast = { message, until: math.max(now + seconds, countdownUntil ?? 0), countdownUntil };
		this.emit();
	}

	/** Hides the toast once its time is over; returns whether it did. */
	expireToast(now: number): boolean {
		const toast = this.current.toast;
		if (toast === undefined || now < toast.until) return false;
		this.current.toast = undefined;
		this.emit();
		return true;
	}

	/** The player's own objects changed (the hotbar's counts and the preview depend on them). */
	ownObjectsChanged() {
		this.emit();
	}

	startCooldown(endsAt: number) {
		this.current.cooldownUntil = endsAt;
		this.emit();
	}

	setSavingDelayed(delayed: boolean) {
		if (this.current.savingDelayed === delayed) return;
		this.current.savingDelayed = delayed;
		this.emit();
	}

	private emit() {
		this.changed.Fire(this.current);
	}
}
