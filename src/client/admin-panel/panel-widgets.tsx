import React from "@rbxts/react";
import { AdminPanelConfig } from "shared/config/admin-panel-config";
import { HUD_FONT, HUD_TEXT_COLOR, HudLabel } from "client/building/hud/hud-label";

export const ROW_WIDTH = 460;
const ROW_HEIGHT = 24;

export interface PanelButtonProps {
	readonly text: string;
	readonly position: UDim2;
	readonly size: UDim2;
	readonly color: Color3;
	readonly onPress: () => void;
	readonly visible?: boolean;
}

export function PanelButton(props: PanelButtonProps) {
	return (
		<textbutton
			Text={props.text}
			Font={HUD_FONT}
			TextSize={14}
			TextColor3={HUD_TEXT_COLOR}
			BackgroundColor3={props.color}
			BorderSizePixel={0}
			AutoButtonColor={true}
			Position={props.position}
			Size={props.size}
			Visible={props.visible ?? true}
			Event={{ Activated: () => props.onPress() }}
		/>
	);
}

/** A block of wrapped text (a section of the panel). */
export function PanelBlock(props: { readonly text: string; readonly position: UDim2; readonly size: UDim2; readonly visible?: boolean }) {
	return <HudLabel text={props.text} position={props.position} size={props.size} textSize={14} visible={props.visible} block={true} />;
}

export interface PickerProps {
	readonly caption: string;
	readonly value: string;
	readonly row: number;
	readonly visible: boolean;
	readonly onStep: (step: 1 | -1) => void;
	/** Something more at the row's right end (the value narrows to make room). */
	readonly accessory?: React.Element;
}

/** Width of the picker's value, and of it beside an accessory. */
const VALUE_WIDTH = 200;
const NARROW_VALUE_WIDTH = 150;

/** A row "Caption  <  value  >": the arrows step through the choices. */
export function PanelPicker(props: PickerProps) {
	const valueWidth = props.accessory !== undefined ? NARROW_VALUE_WIDTH : VALUE_WIDTH;
	return (
		<frame BackgroundTransparency={1} Visible={props.visible} Position={rowPosition(props.row)} Size={UDim2.fromOffset(ROW_WIDTH, ROW_HEIGHT)}>
			<HudLabel key="Caption" text={props.caption} position={UDim2.fromOffset(0, 0)} size={UDim2.fromOffset(70, ROW_HEIGHT)} textSize={14} alignLeft={true} />
			<PanelButton
				key="Previous"
				text="<"
				position={UDim2.fromOffset(75, 0)}
				size={UDim2.fromOffset(26, ROW_HEIGHT)}
				color={AdminPanelConfig.buttonColor}
				onPress={() => props.onStep(-1)}
			/>
			<HudLabel key="Value" text={props.value} position={UDim2.fromOffset(105, 0)} size={UDim2.fromOffset(valueWidth, ROW_HEIGHT)} textSize={14} />
			<PanelButton
				key="Next"
				text=">"
				position={UDim2.fromOffset(109 + valueWidth, 0)}
				size={UDim2.fromOffset(26, ROW_HEIGHT)}
				color={AdminPanelConfig.buttonColor}
				onPress={() => props.onStep(1)}
			/>
			{props.accessory}
		</frame>
	);
}

/**
 * The message row: a text box whose every change goes to `onText` (announce, maintenance and
 * emergency send it). The box keeps what is typed: React sets its Text once, when it mounts.
 */
export function PanelMessageBox(props: { readonly row: number; readonly visible: boolean; readonly onText: (text: string) => void }) {
	return (
		<frame BackgroundTransparency={1} Visible={props.visible} Position={rowPosition(props.row)} Size={UDim2.fromOffset(ROW_WIDTH, ROW_HEIGHT)}>
			<HudLabel key="Caption" text="Message" position={UDim2.fromOffset(0, 0)} size={UDim2.fromOffset(70, ROW_HEIGHT)} textSize={14} alignLeft={true} />
			<PanelTextBox
				key="Box"
				placeholder="announcement, maintenance message or emergency reason"
				position={UDim2.fromOffset(75, 0)}
				size={UDim2.fromOffset(380, ROW_HEIGHT)}
				onText={props.onText}
			/>
		</frame>
	);
}

/**
 * The User id box beside the player picker: a typed id (digits) stands in for the picker, so a
 * player who is not on this server can be named. Like the message box, React sets its Text once.
 */
export function PanelUserIdBox(props: { readonly onText: (text: string) => void }) {
	return (
		<PanelTextBox
			placeholder="or type a user id"
			position={UDim2.fromOffset(292, 0)}
			size={UDim2.fromOffset(ROW_WIDTH - 297, ROW_HEIGHT)}
			onText={props.onText}
		/>
	);
}

/** A panel text box whose every change goes to `onText`; React sets its Text once, when it mounts, so it keeps what is typed. */
function PanelTextBox(props: { readonly placeholder: string; readonly position: UDim2; readonly size: UDim2; readonly onText: (text: string) => void }) {
	return (
		<textbox
			Text=""
			PlaceholderText={props.placeholder}
			ClearTextOnFocus={false}
			Font={HUD_FONT}
			TextSize={14}
			TextColor3={HUD_TEXT_COLOR}
			BackgroundColor3={AdminPanelConfig.buttonColor}
			BorderSizePixel={0}
			Position={props.position}
			Size={props.size}
			Change={{ Text: (box) => props.onText(box.Text) }}
		/>
	);
}

/** Pickers and the message row stack down the right column from here. */
function rowPosition(row: number): UDim2 {
	return UDim2.fromOffset(470, 170 + row * 27);
}
