import { Controller, OnStart } from "@flamework/core";
import { Players } from "@rbxts/services";
import { label } from "client/building/hud/gui-kit";
import { AdminCommandName } from "shared/admin/admin-types";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { AdminPanelController } from "./admin-panel-controller";
import { PanelState } from "./admin-panel-store";
import { formatMinutes, PANEL_COMMANDS } from "./panel-commands";
import { alertsText, sectionText, statusText } from "./panel-text";

const PANEL_WIDTH = 940;
const PANEL_HEIGHT = 680;
const BUTTON_WIDTH = 148;
const BUTTON_HEIGHT = 28;
const BUTTON_GAP = 5;
const COLUMNS = 3;

interface Picker {
	readonly row: Frame;
	readonly value: TextLabel;
	/** The picker shows while the role allows one of these commands. */
	readonly usedBy: readonly AdminCommandName[];
}

function button(name: string, parent: Instance, text: string, position: UDim2, size: UDim2, color: Color3): TextButton {
	const made = new Instance("TextButton");
	made.Name = name;
	made.Text = text;
	made.Font = Enum.Font.GothamMedium;
	made.TextSize = 14;
	made.TextColor3 = Color3.fromRGB(240, 240, 240);
	made.BackgroundColor3 = color;
	made.BorderSizePixel = 0;
	made.AutoButtonColor = true;
	made.Position = position;
	made.Size = size;
	made.Parent = parent;
	return made;
}

function block(name: string, parent: Instance, position: UDim2, size: UDim2): TextLabel {
	const text = label(name, parent, position, size, 14);
	text.TextXAlignment = Enum.TextXAlignment.Left;
	text.TextYAlignment = Enum.TextYAlignment.Top;
	text.TextWrapped = true;
	return text;
}

/**
 * The admin panel's view: live status, report and fleet, alerts, the pickers, a button per
 * command the role allows, the confirmation of destructive ones and the latest result. It is
 * made only once the server says the player has a role, reads the AdminPanelStore and redraws
 * when it changes.
 */
@Controller()
export class AdminPanelView implements OnStart {
	private panel?: Frame;
	private title!: TextLabel;
	private status!: TextLabel;
	private report!: TextLabel;
	private fleet!: TextLabel;
	private alerts!: TextLabel;
	private result!: TextLabel;
	private confirm!: Frame;
	private question!: TextLabel;
	private readonly buttons = new Map<string, TextButton>();
	private readonly pickers: Picker[] = [];
	private targetPicker!: Picker;
	private rollbackPicker!: Picker;
	private systemPicker!: Picker;
	private scopePicker!: Picker;
	private messageRow!: Frame;

	constructor(private readonly controller: AdminPanelController) {}

	onStart() {
		this.controller.store.changed.Connect((state) => this.render(state));
		this.render(this.controller.store.state());
	}

	private render(state: Readonly<PanelState>) {
		if (this.panel === undefined) {
			// A player without a role never gets the panel's instances at all.
			if (state.access.role === "none") return;
			this.mount();
		}
		const panel = this.panel!;
		panel.Visible = state.open;
		if (!state.open) return;
		const allows = (name: AdminCommandName) => state.access.commands.includes(name);
		this.title.Text = `Admin panel — ${state.access.role} · ${AdminPanelConfig.toggleKey.Name} closes`;
		this.status.Text = statusText(state.status, state.refreshedAt);
		this.report.Visible = allows("systemreport");
		this.report.Text = sectionText("System report (memory, FPS, response times)", state.report);
		this.fleet.Visible = allows("fleet");
		this.fleet.Text = sectionText("Fleet", state.fleet);
		this.alerts.Text = alertsText(state.alerts, state.alertHistory);

		let slot = 0;
		for (const command of PANEL_COMMANDS) {
			const shown = allows(command.name);
			const made = this.buttons.get(command.id)!;
			made.Visible = shown;
			if (!shown) continue;
			const column = slot % COLUMNS;
			const row = math.floor(slot / COLUMNS);
			made.Position = UDim2.fromOffset(column * (BUTTON_WIDTH + BUTTON_GAP), row * (BUTTON_HEIGHT + BUTTON_GAP));
			slot += 1;
		}

		this.targetPicker.value.Text = state.targetUserId === undefined ? "every player" : nameOf(state.targetUserId);
		this.rollbackPicker.value.Text = formatMinutes(state.rollbackMinutes);
		this.systemPicker.value.Text = state.system ?? "(refresh the status)";
		this.scopePicker.value.Text = state.scope === "all" ? "every server" : "this server";
		let pickerRow = 0;
		for (const picker of this.pickers) {
			picker.row.Visible = picker.usedBy.some(allows);
			if (!picker.row.Visible) continue;
			picker.row.Position = UDim2.fromOffset(470, 170 + pickerRow * 27);
			pickerRow += 1;
		}
		this.messageRow.Visible = allows("announce") || allows("maintenance") || allows("emergency");
		this.messageRow.Position = UDim2.fromOffset(470, 170 + pickerRow * 27);

		this.confirm.Visible = state.confirmation !== undefined;
		this.question.Text = state.confirmation?.question ?? "";
		if (state.running !== undefined) this.result.Text = `${state.running}: waiting for the server…`;
		else if (state.result !== undefined) this.result.Text = `${state.result.title} — ${state.result.ok ? "done" : "not done"}\n${state.result.text}`;
		else this.result.Text = "Results of the commands you run show here.";
	}

	private mount() {
		const screen = new Instance("ScreenGui");
		screen.Name = "AdminPanel";
		screen.IgnoreGuiInset = true;
		screen.ResetOnSpawn = false;
		screen.DisplayOrder = 10;
		const panel = new Instance("Frame");
		panel.Name = "Panel";
		// Active: a click on the panel's background stays in the panel and never builds behind it.
		panel.Active = true;
		panel.Position = UDim2.fromOffset(20, 20);
		panel.Size = UDim2.fromOffset(PANEL_WIDTH, PANEL_HEIGHT);
		panel.BackgroundColor3 = AdminPanelConfig.panelColor;
		panel.BackgroundTransparency = 0.1;
		panel.BorderSizePixel = 0;
		panel.Visible = false;
		panel.Parent = screen;
		this.panel = panel;

		this.title = label("Title", panel, UDim2.fromOffset(10, 6), UDim2.fromOffset(700, 26), 18);
		this.title.TextXAlignment = Enum.TextXAlignment.Left;
		button("Close", panel, "×", UDim2.fromOffset(PANEL_WIDTH - 40, 6), UDim2.fromOffset(30, 26), AdminPanelConfig.buttonColor).Activated.Connect(() =>
			this.controller.toggle(),
		);
		this.status = block("Status", panel, UDim2.fromOffset(10, 40), UDim2.fromOffset(450, 125));
		this.report = block("Report", panel, UDim2.fromOffset(10, 170), UDim2.fromOffset(450, 170));
		this.fleet = block("Fleet", panel, UDim2.fromOffset(10, 345), UDim2.fromOffset(450, 70));
		this.result = block("Result", panel, UDim2.fromOffset(10, 420), UDim2.fromOffset(450, 250));
		this.alerts = block("Alerts", panel, UDim2.fromOffset(470, 40), UDim2.fromOffset(460, 125));

		this.targetPicker = this.picker(panel, "Target", "Player", ["modlog", "recover", "rollback"], (step) => this.controller.cycleTarget(step));
		this.rollbackPicker = this.picker(panel, "Since", "Back to", ["rollback"], (step) => this.controller.cycleRollback(step));
		this.systemPicker = this.picker(panel, "System", "System", ["restartsystem"], (step) => this.controller.cycleSystem(step));
		this.scopePicker = this.picker(panel, "Scope", "Where", ["forcebackup", "emergency", "maintenance", "announce"], () => this.controller.toggleScope());
		this.messageRow = this.messageBox(panel);

		const commands = new Instance("Frame");
		commands.Name = "Commands";
		commands.BackgroundTransparency = 1;
		commands.Position = UDim2.fromOffset(470, 310);
		commands.Size = UDim2.fromOffset(460, 200);
		commands.Parent = panel;
		for (const command of PANEL_COMMANDS) {
			const color = command.destructive ? AdminPanelConfig.destructiveColor : AdminPanelConfig.buttonColor;
			const made = button(command.id, commands, command.label, UDim2.fromOffset(0, 0), UDim2.fromOffset(BUTTON_WIDTH, BUTTON_HEIGHT), color);
			made.Activated.Connect(() => this.controller.press(command.id));
			this.buttons.set(command.id, made);
		}

		const confirm = new Instance("Frame");
		confirm.Name = "Confirm";
		confirm.Active = true;
		confirm.Position = UDim2.fromOffset(470, 515);
		confirm.Size = UDim2.fromOffset(460, 90);
		confirm.BackgroundColor3 = AdminPanelConfig.confirmColor;
		confirm.BorderSizePixel = 0;
		confirm.Visible = false;
		confirm.Parent = panel;
		this.confirm = confirm;
		this.question = block("Question", confirm, UDim2.fromOffset(8, 6), UDim2.fromOffset(444, 44));
		button("Yes", confirm, "Yes, run it", UDim2.fromOffset(8, 54), UDim2.fromOffset(140, 28), AdminPanelConfig.destructiveColor).Activated.Connect(() =>
			this.controller.confirm(),
		);
		button("No", confirm, "Cancel", UDim2.fromOffset(156, 54), UDim2.fromOffset(140, 28), AdminPanelConfig.buttonColor).Activated.Connect(() =>
			this.controller.cancel(),
		);

		screen.Parent = Players.LocalPlayer.WaitForChild("PlayerGui");
	}

	/** A row with a text box for the message announce, maintenance and emergency on send. */
	private messageBox(panel: Frame): Frame {
		const row = new Instance("Frame");
		row.Name = "Message";
		row.BackgroundTransparency = 1;
		row.Size = UDim2.fromOffset(460, 24);
		row.Parent = panel;
		const title = label("Caption", row, UDim2.fromOffset(0, 0), UDim2.fromOffset(70, 24), 14);
		title.Text = "Message";
		title.TextXAlignment = Enum.TextXAlignment.Left;
		const box = new Instance("TextBox");
		box.Name = "Box";
		box.Text = "";
		box.PlaceholderText = "announcement, maintenance message or emergency reason";
		box.ClearTextOnFocus = false;
		box.Font = Enum.Font.GothamMedium;
		box.TextSize = 14;
		box.TextColor3 = Color3.fromRGB(240, 240, 240);
		box.BackgroundColor3 = AdminPanelConfig.buttonColor;
		box.BorderSizePixel = 0;
		box.Position = UDim2.fromOffset(75, 0);
		box.Size = UDim2.fromOffset(380, 24);
		box.Parent = row;
		box.GetPropertyChangedSignal("Text").Connect(() => this.controller.setMessage(box.Text));
		return row;
	}

	private picker(panel: Frame, name: string, caption: string, usedBy: readonly AdminCommandName[], step: (step: 1 | -1) => void): Picker {
		const row = new Instance("Frame");
		row.Name = name;
		row.BackgroundTransparency = 1;
		row.Size = UDim2.fromOffset(460, 24);
		row.Parent = panel;
		const title = label("Caption", row, UDim2.fromOffset(0, 0), UDim2.fromOffset(70, 24), 14);
		title.Text = caption;
		title.TextXAlignment = Enum.TextXAlignment.Left;
		button("Previous", row, "<", UDim2.fromOffset(75, 0), UDim2.fromOffset(26, 24), AdminPanelConfig.buttonColor).Activated.Connect(() => step(-1));
		const value = label("Value", row, UDim2.fromOffset(105, 0), UDim2.fromOffset(200, 24), 14);
		button("Next", row, ">", UDim2.fromOffset(309, 0), UDim2.fromOffset(26, 24), AdminPanelConfig.buttonColor).Activated.Connect(() => step(1));
		const picker = { row, value, usedBy };
		this.pickers.push(picker);
		return picker;
	}
}

function nameOf(userId: number): string {
	const player = Players.GetPlayerByUserId(userId);
	return player !== undefined ? `${player.Name} (${userId})` : `${userId}`;
}
