import React from "@rbxts/react";

export const HUD_FONT = Enum.Font.GothamMedium;
export const HUD_TEXT_COLOR = Color3.fromRGB(240, 240, 240);

export interface HudLabelProps {
	readonly text: string;
	readonly position: UDim2;
	readonly size: UDim2;
	readonly textSize: number;
	readonly visible?: boolean;
	/** A background colour makes the label a panel of its own (toasts, notices). */
	readonly background?: Color3;
	readonly alignLeft?: boolean;
	/** Long text wraps from the top left (report blocks). */
	readonly block?: boolean;
}

/** A line (or block) of HUD text; its instance is named by the key the parent gives it. */
export function HudLabel(props: HudLabelProps) {
	const block = props.block === true;
	return (
		<textlabel
			Text={props.text}
			Position={props.position}
			Size={props.size}
			Visible={props.visible ?? true}
			Font={HUD_FONT}
			TextSize={props.textSize}
			TextColor3={HUD_TEXT_COLOR}
			BackgroundTransparency={props.background !== undefined ? 0.2 : 1}
			BackgroundColor3={props.background}
			TextXAlignment={block || props.alignLeft === true ? Enum.TextXAlignment.Left : Enum.TextXAlignment.Center}
			TextYAlignment={block ? Enum.TextYAlignment.Top : Enum.TextYAlignment.Center}
			TextWrapped={block}
		/>
	);
}
