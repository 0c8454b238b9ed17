import { Controller, OnStart } from "@flamework/core";
import { ContextActionService, UserInputService } from "@rbxts/services";
import { PlacementController } from "client/placement/placement-controller";
import { catalogItems } from "shared/catalog/catalog";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";
import { BuildStore } from "./build-store";
import { OwnFootprints } from "./own-footprints";
import { PlacementPreview } from "./placement-preview";

/** Keys that select hotbar slots, in slot order. */
export const SLOT_KEYS: readonly Enum.KeyCode[] = [
	Enum.KeyCode.One,
	Enum.KeyCode.Two,
	Enum.KeyCode.Three,
	Enum.KeyCode.Four,
	Enum.KeyCode.Five,
	Enum.KeyCode.Six,
	Enum.KeyCode.Seven,
	Enum.KeyCode.Eight,
	Enum.KeyCode.Nine,
];

/** Gamepad buttons: the shoulder buttons step through the hotbar, the rest mirror the keys. */
export const GAMEPAD = {
	nextSlot: Enum.KeyCode.ButtonR1,
	previousSlot: Enum.KeyCode.ButtonL1,
	use: Enum.KeyCode.ButtonR2,
	rotate: Enum.KeyCode.ButtonX,
	removal: Enum.KeyCode.ButtonY,
	leave: Enum.KeyCode.ButtonB,
} as const;

const SELECT_INPUTS = [...SLOT_KEYS, GAMEPAD.nextSlot, GAMEPAD.previousSlot];

const TOAST_SECONDS = BuildUiConfig.toastSeconds;
const TOUCH_BUTTONS = BuildUiConfig.touchButtons;
/** How often a shown toast's time is checked. */
const TOAST_CHECK_SECONDS = 0.25;

const ACTION_SELECT = "BuildSelectSlot";
const ACTION_REMOVAL = "BuildToggleRemoval";
const ACTION_LEAVE = "BuildLeave";
const ACTION_ROTATE = "BuildRotate";
const ACTION_USE = "BuildUse";

/**
 * Binds an action with an on-screen button on a touch device (placing is a tap in the world:
 * see TouchBuildController).
 */
function bindTouchable(
	name: string,
	handler: (name: string, state: Enum.UserInputState, input: InputObject) => Enum.ContextActionResult | undefined,
	button: { readonly title: string; readonly position: UDim2 },
	...inputs: Array<Enum.KeyCode | Enum.UserInputType>
) {
	const touch = UserInputService.TouchEnabled;
	ContextActionService.BindAction(name, handler, touch, ...inputs);
	if (!touch) return;
	ContextActionService.SetTitle(name, button.title);
	ContextActionService.SetPosition(name, button.position);
}

/**
 * The build tools' input and actions: binds keys and clicks through ContextActionService (so
 * touch and gamepad can bind the same actions), keeps the one BuildStore, and sends placements
 * and removals through PlacementController. Refusals, local and from the server, become toasts.
 */
@Controller()
export class BuildController implements OnStart {
	readonly store = new BuildStore();
	readonly footprints = new OwnFootprints();
	readonly preview = new PlacementPreview(this.footprints);
	private modeBound = false;
	private removalButtonActive = false;
	private toastTicking = false;
	/**
	 * Requests sent and not answered yet: a second click on the same spot, or on the same object,
	 * before the answer (a double click, a quick second tap) sends nothing, so it draws no refusal.
	 */
	private readonly awaiting = new Set<string>();

	constructor(private readonly placement: PlacementController) {}

	onStart() {
		for (const [, placement] of this.placement.ownObjects()) this.footprints.add(placement);
		this.placement.objectAdded.Connect((placement) => {
			this.footprints.add(placement);
			this.store.ownObjectsChanged();
		});
		this.placement.objectRemoved.Connect((placementId) => {
			this.footprints.remove(placementId);
			this.store.ownObjectsChanged();
		});
		this.store.setSavingDelayed(this.placement.currentSaveState() === "pending");
		this.placement.saveStateChanged.Connect((saved) => this.store.setSavingDelayed(saved === "pending"));
		this.placement.rejected.Connect((rejection) => {
			const now = os.clock();
			if (rejection.retryAfterSeconds === undefined) return this.store.showToast(rejection.message, now, TOAST_SECONDS);
			const cooldownEnds = now + rejection.retryAfterSeconds;
			this.store.startCooldown(cooldownEnds);
			this.store.showToast(rejection.message, now, TOAST_SECONDS, cooldownEnds);
		});

		ContextActionService.BindAction(
			ACTION_SELECT,
			(_, state, input) => this.onSelectKey(state, input),
			false,
			...SELECT_INPUTS,
		);
		bindTouchable(ACTION_REMOVAL, (_, state) => this.onRemovalKey(state), TOUCH_BUTTONS.removal, Enum.KeyCode.X, GAMEPAD.removal);
		// Mode actions follow the mode. The store's signal is deferred, so the keys that enter a mode
		// also bind at once (a click right after them works); leaving unbinds on the next resumption.
		this.store.changed.Connect((state) => {
			this.bindModeActions(state.mode !== "idle");
			this.titleRemovalButton(state.mode === "remove");
			if (state.toast !== undefined) this.expireToastWhenDue();
		});
	}

	/** Selects the item in hotbar slot `index` (0-based), as a number key or a click on the slot does. */
	selectSlot(index: number) {
		const item = catalogItems()[index];
		if (item !== undefined) this.store.selectItem(item.id);
		this.bindModeActions(this.store.state().mode !== "idle");
	}

	/** Selects the next (or previous) hotbar item, wrapping around; from no selection, the first (or last). */
	stepSlot(step: 1 | -1) {
		const items = catalogItems();
		const state = this.store.state();
		const current = state.mode === "build" ? items.findIndex((item) => item.id === state.selectedItemId) : -1;
		const size = items.size();
		const chosen = current < 0 ? (step === 1 ? 0 : size - 1) : (((current + step) % size) + size) % size;
		this.selectSlot(chosen);
	}

	/** Places the previewed item or removes the hovered object, as a click in the world does. */
	use() {
		const state = this.store.state();
		if (state.mode === "build" && state.selectedItemId !== undefined && state.preview.onPlot) {
			const problem = state.preview.problem;
			if (problem !== undefined) {
				const countdown = problem === RejectionReason.Cooldown ? state.cooldownUntil : undefined;
				this.store.showToast(rejectionMessage(problem), os.clock(), TOAST_SECONDS, countdown);
				return;
			}
			const itemId = state.selectedItemId;
			const position = state.preview.position;
			const rotation = state.rotation;
			this.sendOnce(`place ${itemId} ${position} ${rotation}`, () => this.placement.place(itemId, position, rotation));
		} else if (state.mode === "remove" && state.hoveredPlacementId !== undefined) {
			const placementId = state.hoveredPlacementId;
			this.sendOnce(`remove ${placementId}`, () => this.placement.remove(placementId));
		}
	}

	/** Sends a request unless the same one still waits for its answer. */
	private sendOnce(key: string, send: () => unknown) {
		if (this.awaiting.has(key)) return;
		this.awaiting.add(key);
		task.spawn(() => {
			const [ok, problem] = pcall(send);
			this.awaiting.delete(key);
			if (!ok) error(problem, 0);
		});
	}

	/** While a toast is up, checks its time and hides it when due. */
	private expireToastWhenDue() {
		if (this.toastTicking) return;
		this.toastTicking = true;
		task.spawn(() => {
			while (this.store.state().toast !== undefined) {
				task.wait(TOAST_CHECK_SECONDS);
				this.store.expireToast(os.clock());
			}
			this.toastTicking = false;
		});
	}

	private onSelectKey(state: Enum.UserInputState, input: InputObject) {
		if (state !== Enum.UserInputState.Begin) return Enum.ContextActionResult.Sink;
		if (input.KeyCode === GAMEPAD.nextSlot || input.KeyCode === GAMEPAD.previousSlot) {
			this.stepSlot(input.KeyCode === GAMEPAD.nextSlot ? 1 : -1);
			return Enum.ContextActionResult.Sink;
		}
		const index = SLOT_KEYS.indexOf(input.KeyCode);
		if (index < 0 || catalogItems()[index] === undefined) return Enum.ContextActionResult.Pass;
		this.selectSlot(index);
		return Enum.ContextActionResult.Sink;
	}

	private onRemovalKey(state: Enum.UserInputState) {
		if (state === Enum.UserInputState.Begin) this.store.toggleRemoval();
		this.bindModeActions(this.store.state().mode !== "idle");
		return Enum.ContextActionResult.Sink;
	}

	/** On a touch device the removal button says what a tap on it does: enter removal mode, or stop. */
	private titleRemovalButton(removing: boolean) {
		if (removing === this.removalButtonActive || !UserInputService.TouchEnabled) return;
		this.removalButtonActive = removing;
		ContextActionService.SetTitle(ACTION_REMOVAL, removing ? TOUCH_BUTTONS.removal.activeTitle : TOUCH_BUTTONS.removal.title);
	}

	/** Q/Escape, R and clicks belong to the build tools only while a mode is on. */
	private bindModeActions(active: boolean) {
		if (active === this.modeBound) return;
		this.modeBound = active;
		if (!active) {
			ContextActionService.UnbindAction(ACTION_LEAVE);
			ContextActionService.UnbindAction(ACTION_ROTATE);
			ContextActionService.UnbindAction(ACTION_USE);
			return;
		}
		bindTouchable(
			ACTION_LEAVE,
			(_, state) => {
				if (state === Enum.UserInputState.Begin) this.store.leave();
				return Enum.ContextActionResult.Sink;
			},
			TOUCH_BUTTONS.leave,
			Enum.KeyCode.Q,
			Enum.KeyCode.Escape,
			GAMEPAD.leave,
		);
		bindTouchable(
			ACTION_ROTATE,
			(_, state) => {
				if (state === Enum.UserInputState.Begin) this.store.rotate();
				return Enum.ContextActionResult.Sink;
			},
			TOUCH_BUTTONS.rotate,
			Enum.KeyCode.R,
			GAMEPAD.rotate,
		);
		ContextActionService.BindAction(
			ACTION_USE,
			(_, state) => {
				if (state === Enum.UserInputState.Begin) this.use();
				return Enum.ContextActionResult.Sink;
			},
			false,
			Enum.UserInputType.MouseButton1,
			GAMEPAD.use,
		);
	}
}
