import { Controller, OnStart } from "@flamework/core";
import { Players } from "@rbxts/services";
import { catalogItems } from "shared/catalog/catalog";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { BuildController, SLOT_KEYS } from "../build-controller";
import { BuildState } from "../build-store";
import { label, panel } from "./gui-kit";

const SLOT_WIDTH = 118;
const SLOT_HEIGHT = 64;
const SLOT_GAP = 6;
const SLOT_IDLE = BuildUiConfig.slotIdle;
const SLOT_SELECTED = BuildUiConfig.slotSelected;

interface SlotView {
	readonly itemId: string;
	readonly perPlayerCap: number;
	readonly button: TextButton;
	readonly count: TextLabel;
}

/**
 * The build HUD: a hotbar of the catalog (name, category, count placed / per-player cap, its
 * key; click a slot to select it), a line saying what mode the player is in and what the keys
 * do, and a toast for refusals with a cooldown's remaining seconds. Views only: it reads the
 * BuildStore and redraws when it changes.
 */
@Controller()
export class BuildHudController implements OnStart {
	private readonly slots: SlotView[] = [];
	private screen!: ScreenGui;
	private status!: TextLabel;
	private toast!: TextLabel;
	private saveNotice!: TextLabel;
	private ticking = false;

	constructor(private readonly build: BuildController) {}

	onStart() {
		const screen = new Instance("ScreenGui");
		screen.Name = "BuildHud";
		screen.IgnoreGuiInset = true;
		screen.ResetOnSpawn = false;
		this.screen = screen;
		this.mountHotbar(screen);
		this.status = label("Status", screen, new UDim2(0.5, -300, 1, -SLOT_HEIGHT - 52), UDim2.fromOffset(600, 24), 16);
		this.toast = label("Toast", screen, new UDim2(0.5, -320, 0, 80), UDim2.fromOffset(640, 36), 18);
		this.toast.BackgroundTransparency = 0.2;
		this.toast.BackgroundColor3 = Color3.fromRGB(150, 40, 40);
		this.toast.Visible = false;
		this.saveNotice = label("SaveNotice", screen, new UDim2(0.5, -300, 1, -SLOT_HEIGHT - 84), UDim2.fromOffset(600, 26), 16);
		this.saveNotice.Text = BuildUiConfig.savingDelayedText;
		this.saveNotice.BackgroundTransparency = 0.2;
		this.saveNotice.BackgroundColor3 = BuildUiConfig.savingDelayedColor;
		this.saveNotice.Visible = false;
		screen.Parent = Players.LocalPlayer.WaitForChild("PlayerGui");
		this.build.store.changed.Connect((state) => this.render(state));
		this.render(this.build.store.state());
	}

	private mountHotbar(screen: ScreenGui) {
		const items = catalogItems();
		const width = items.size() * (SLOT_WIDTH + SLOT_GAP) + SLOT_GAP;
		const bar = panel("Hotbar", screen, new UDim2(0.5, 0, 1, -12), UDim2.fromOffset(width, SLOT_HEIGHT + 2 * SLOT_GAP), new Vector2(0.5, 1));
		items.forEach((item, index) => {
			const button = new Instance("TextButton");
			button.Name = `Slot${index + 1}`;
			button.Text = "";
			button.AutoButtonColor = true;
			button.BorderSizePixel = 0;
			button.BackgroundColor3 = SLOT_IDLE;
			button.Position = UDim2.fromOffset(SLOT_GAP + index * (SLOT_WIDTH + SLOT_GAP), SLOT_GAP);
			button.Size = UDim2.fromOffset(SLOT_WIDTH, SLOT_HEIGHT);
			button.Parent = bar;
			const key = SLOT_KEYS[index] !== undefined ? `${index + 1}` : "";
			label("Key", button, new UDim2(1, -18, 0, 2), UDim2.fromOffset(14, 16), 12).Text = key;
			label("ItemName", button, UDim2.fromOffset(4, 4), new UDim2(1, -8, 0, 20), 15).Text = item.displayName;
			label("Category", button, UDim2.fromOffset(4, 24), new UDim2(1, -8, 0, 16), 12).Text = item.category;
			const count = label("Count", button, UDim2.fromOffset(4, 42), new UDim2(1, -8, 0, 18), 14);
			button.Activated.Connect(() => this.build.selectSlot(index));
			this.slots.push({ itemId: item.id, perPlayerCap: item.perPlayerCap, button, count });
		});
	}

	private render(state: Readonly<BuildState>) {
		for (const slot of this.slots) {
			const selected = state.mode === "build" && state.selectedItemId === slot.itemId;
			slot.button.BackgroundColor3 = selected ? SLOT_SELECTED : SLOT_IDLE;
			slot.count.Text = `${this.build.footprints.countOf(slot.itemId)} / ${slot.perPlayerCap}`;
		}
		this.status.Text = statusLine(state);
		this.saveNotice.Visible = state.savingDelayed;
		this.renderToast(state);
	}

	private renderToast(state: Readonly<BuildState>) {
		const now = os.clock();
		const toast = state.toast;
		this.toast.Visible = toast !== undefined;
		if (toast === undefined) return;
		const remaining = toast.countdownUntil !== undefined ? math.ceil(toast.countdownUntil - now) : 0;
		this.toast.Text = remaining > 0 ? `${toast.message} (${remaining} s left)` : toast.message;
		this.tickUntilGone();
	}

	/** While a toast is up, redraws it each second (the cooldown countdown) and hides it when due. */
	private tickUntilGone() {
		if (this.ticking) return;
		this.ticking = true;
		task.spawn(() => {
			while (this.build.store.state().toast !== undefined) {
				task.wait(0.25);
				const now = os.clock();
				if (!this.build.store.expireToast(now)) this.renderToast(this.build.store.state());
			}
			this.ticking = false;
		});
	}
}

function statusLine(state: Readonly<BuildState>): string {
	if (state.mode === "build") return `Building — R rotates (${state.rotation}°), click places, Q or Esc leaves, X removes`;
	if (state.mode === "remove") return "Removing — click one of your objects to remove it, X or Q leaves";
	return "Press 1–9 or click an item to build, X to remove";
}
