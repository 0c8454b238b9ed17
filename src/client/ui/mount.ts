import React from "@rbxts/react";
import { createLegacyRoot, createPortal, Root } from "@rbxts/react-roblox";
import { Players } from "@rbxts/services";

/**
 * Mounts a React tree into the local player's PlayerGui (through a portal, so React owns only
 * the ScreenGui it renders, never the PlayerGui's other children). A legacy root commits
 * synchronously: the GUI shows a store change on the same resumption as the change, and a
 * headless run renders the same frames however fast the machine is (a concurrent root slices
 * its work by os.clock).
 */
export function mountInPlayerGui(element: React.ReactElement): Root {
	const root = createLegacyRoot(new Instance("Folder"));
	root.render(createPortal(element, Players.LocalPlayer.WaitForChild("PlayerGui")));
	return root;
}
