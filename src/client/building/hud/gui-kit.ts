/** Small builders for the HUD's plain GUI instances (positions are explicit: no layout objects). */

export const HUD_FONT = Enum.Font.GothamMedium;

export function label(name: string, parent: Instance, position: UDim2, size: UDim2, textSize: number): TextLabel {
	const text = new Instance("TextLabel");
	text.Name = name;
	text.BackgroundTransparency = 1;
	text.Position = position;
	text.Size = size;
	text.Font = HUD_FONT;
	text.TextSize = textSize;
	text.TextColor3 = Color3.fromRGB(240, 240, 240);
	text.Text = "";
	text.Parent = parent;
	return text;
}

export function panel(name: string, parent: Instance, position: UDim2, size: UDim2, anchor: Vector2): Frame {
	const frame = new Instance("Frame");
	frame.Name = name;
	frame.AnchorPoint = anchor;
	frame.Position = position;
	frame.Size = size;
	frame.BackgroundColor3 = Color3.fromRGB(25, 28, 34);
	frame.BackgroundTransparency = 0.25;
	frame.BorderSizePixel = 0;
	frame.Parent = parent;
	return frame;
}
