import React from "@rbxts/react";
import { Players, UserInputService } from "@rbxts/services";
import { AdminCommandName } from "shared/admin/admin-types";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { useStoreState } from "client/ui/use-store";
import { AdminPanelController } from "./admin-panel-controller";
import { PanelState } from "./admin-panel-store";
import { formatMinutes, PANEL_COMMANDS } from "./panel-commands";
import { alertsText, sectionText, statusText } from "./panel-text";
import { PanelBlock, PanelButton, PanelMessageBox, PanelPicker, PanelUserIdBox, ROW_WIDTH } from "./panel-widgets";

const PANEL_WIDTH = 940;
const PANEL_HEIGHT = 680;
const BUTTON_WIDTH = 148;
const BUTTON_HEIGHT = 28;
const BUTTON_GAP = 5;
const COLUMNS = 3;

/** What closes the panel: its key, or on a phone its on-screen button. */
function closer(): string {
	const phone = UserInputService.TouchEnabled && !UserInputService.MouseEnabled;
	return phone ? AdminPanelConfig.touchButton.title : AdminPanelConfig.toggleKey.Name;
}

/** The pickers, in row order, and the commands that use each (a picker shows while the role allows one). */
const PICKERS = [
	{ key: "Target", caption: "Player", usedBy: ["modlog", "recover", "rollback"] },
	{ key: "Since", caption: "Back to", usedBy: ["rollback"] },
	{ key: "Backup", caption: "Backup", usedBy: ["recover"] },
	{ key: "System", caption: "System", usedBy: ["restartsystem"] },
	{ key: "Audit", caption: "Audit", usedBy: ["audit"] },
	{ key: "Scope", caption: "Where", usedBy: ["forcebackup", "emergency", "maintenance", "announce"] },
] as const satisfies readonly { key: string; caption: string; usedBy: readonly AdminCommandName[] }[];

type PickerKey = (typeof PICKERS)[number]["key"];

function nameOf(userId: number): string {
	const player = Players.GetPlayerByUserId(userId);
	return player !== undefined ? `${player.Name} (${userId})` : `${userId}`;
}

function pickerValue(key: PickerKey, state: Readonly<PanelState>): string {
	switch (key) {
		case "Target":
			if (state.typedUserId.kind === "id") return `user ${state.typedUserId.userId} (typed)`;
			if (state.typedUserId.kind === "invalid") return "user id: digits only";
			return state.targetUserId === undefined ? "every player" : nameOf(state.targetUserId);
		case "Backup":
			return state.backupTarget;
		case "Audit":
			return `last ${state.auditCount} entries`;
		case "Since":
			return formatMinutes(state.rollbackMinutes);
		case "System":
			return state.system ?? "(refresh the status)";
		case "Scope":
			return state.scope === "all" ? "every server" : "this server";
	}
}

function resultText(state: Readonly<PanelState>): string {
	if (state.running !== undefined) return `${state.running}: waiting for the server…`;
	if (state.result !== undefined) {
		const how = state.result.underWay === true ? "under way" : state.result.ok ? "done" : "not done";
		return `${state.result.title} — ${how}\n${state.result.text}`;
	}
	return "Results of the commands you run show here.";
}

/**
 * The admin panel: live status, report and fleet, alerts, the pickers, a button per command the
 * role allows, the confirmation of destructive ones and the latest result. Nothing is mounted for
 * a player without a role. It only reads the AdminPanelStore; buttons call the controller.
 */
export function AdminPanel({ controller }: { readonly controller: AdminPanelController }) {
	const state = useStoreState(controller.store);
	if (state.access.role === "none") return undefined;
	const allows = (name: AdminCommandName) => state.access.commands.includes(name);

	const steps: Record<PickerKey, (step: 1 | -1) => void> = {
		Target: (step) => controller.cycleTarget(step),
		Since: (step) => controller.cycleRollback(step),
		System: (step) => controller.cycleSystem(step),
		Backup: (step) => controller.cycleBackup(step),
		Audit: (step) => controller.cycleAuditCount(step),
		Scope: () => controller.toggleScope(),
	};
	// Every picker, button and the message row exist; the ones the role does not allow are
	// hidden, and the shown ones close ranks.
	const rows: React.Element[] = [];
	let shownRows = 0;
	for (const picker of PICKERS) {
		const shown = picker.usedBy.some(allows);
		rows.push(
			<PanelPicker
				key={picker.key}
				caption={picker.caption}
				value={pickerValue(picker.key, state)}
				row={shownRows}
				visible={shown}
				onStep={steps[picker.key]}
				accessory={picker.key === "Target" ? <PanelUserIdBox key="UserId" onText={(text) => controller.setUserIdText(text)} /> : undefined}
			/>,
		);
		if (shown) shownRows += 1;
	}
	const messageShown = allows("announce") || allows("maintenance") || allows("emergency");
	rows.push(<PanelMessageBox key="Message" row={shownRows} visible={messageShown} onText={(text) => controller.setMessage(text)} />);

	const buttons: React.Element[] = [];
	let slot = 0;
	for (const command of PANEL_COMMANDS) {
		const shown = allows(command.name);
		buttons.push(
			<PanelButton
				key={command.id}
				text={command.label}
				position={UDim2.fromOffset((slot % COLUMNS) * (BUTTON_WIDTH + BUTTON_GAP), math.floor(slot / COLUMNS) * (BUTTON_HEIGHT + BUTTON_GAP))}
				size={UDim2.fromOffset(BUTTON_WIDTH, BUTTON_HEIGHT)}
				color={command.destructive ? AdminPanelConfig.destructiveColor : AdminPanelConfig.buttonColor}
				visible={shown}
				onPress={() => controller.press(command.id)}
			/>,
		);
		if (shown) slot += 1;
	}

	return (
		<screengui IgnoreGuiInset={true} ResetOnSpawn={false} DisplayOrder={10}>
			{/* Active: a click on the panel's background stays in the panel and never builds behind it. */}
			<frame
				key="Panel"
				Active={true}
				Visible={state.open}
				Position={UDim2.fromOffset(20, 20)}
				Size={UDim2.fromOffset(PANEL_WIDTH, PANEL_HEIGHT)}
				BackgroundColor3={AdminPanelConfig.panelColor}
				BackgroundTransparency={0.1}
				BorderSizePixel={0}
			>
				<PanelBlock
					key="Title"
					text={`Admin panel — ${state.access.role} · ${closer()} closes`}
					position={UDim2.fromOffset(10, 6)}
					size={UDim2.fromOffset(700, 26)}
				/>
				<PanelButton
					key="Close"
					text="×"
					position={UDim2.fromOffset(PANEL_WIDTH - 40, 6)}
					size={UDim2.fromOffset(30, 26)}
					color={AdminPanelConfig.buttonColor}
					onPress={() => controller.toggle()}
				/>
				<PanelBlock key="Status" text={statusText(state.status, state.refreshedAt)} position={UDim2.fromOffset(10, 40)} size={UDim2.fromOffset(450, 125)} />
				<PanelBlock
					key="Report"
					text={sectionText("System report (memory, FPS, response times)", state.report)}
					visible={allows("systemreport")}
					position={UDim2.fromOffset(10, 170)}
					size={UDim2.fromOffset(450, 170)}
				/>
				<PanelBlock
					key="Fleet"
					text={sectionText("Fleet", state.fleet)}
					visible={allows("fleet")}
					position={UDim2.fromOffset(10, 345)}
					size={UDim2.fromOffset(450, 70)}
				/>
				<PanelBlock key="Result" text={resultText(state)} position={UDim2.fromOffset(10, 420)} size={UDim2.fromOffset(450, 250)} />
				<PanelBlock key="Alerts" text={alertsText(state.alerts, state.alertHistory)} position={UDim2.fromOffset(470, 40)} size={UDim2.fromOffset(ROW_WIDTH, 125)} />
				{rows}
				<frame key="Commands" BackgroundTransparency={1} Position={UDim2.fromOffset(470, 362)} Size={UDim2.fromOffset(ROW_WIDTH, 200)}>
					{buttons}
				</frame>
				<frame
					key="Confirm"
					Active={true}
					Visible={state.confirmation !== undefined}
					Position={UDim2.fromOffset(470, 567)}
					Size={UDim2.fromOffset(ROW_WIDTH, 90)}
					BackgroundColor3={AdminPanelConfig.confirmColor}
					BorderSizePixel={0}
				>
					<PanelBlock key="Question" text={state.confirmation?.question ?? ""} position={UDim2.fromOffset(8, 6)} size={UDim2.fromOffset(444, 44)} />
					<PanelButton
						key="Yes"
						text="Yes, run it"
						position={UDim2.fromOffset(8, 54)}
						size={UDim2.fromOffset(140, 28)}
						color={AdminPanelConfig.destructiveColor}
						onPress={() => controller.confirm()}
					/>
					<PanelButton
						key="No"
						text="Cancel"
						position={UDim2.fromOffset(156, 54)}
						size={UDim2.fromOffset(140, 28)}
						color={AdminPanelConfig.buttonColor}
						onPress={() => controller.cancel()}
					/>
				</frame>
			</frame>
		</screengui>
	);
}
