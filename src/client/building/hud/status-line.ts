import { BuildUiConfig } from "shared/config/build-ui-config";
import { BuildState } from "../build-store";

const BUTTONS = BuildUiConfig.touchButtons;

/** What the status line says for the mode the player is in. */
export function statusLine(state: Readonly<BuildState>): string {
	if (state.mode === "build") return `Building — R rotates (${state.rotation}°), click places, Q or Esc leaves, X removes`;
	if (state.mode === "remove") return "Removing — click one of your objects to remove it, X or Q leaves";
	return "Press 1–9 or click an item to build, X to remove";
}

/** The status line on a touch device, naming taps and the on-screen buttons. */
export function touchStatusLine(state: Readonly<BuildState>): string {
	if (state.mode === "build") {
		return `Building — tap the plot to aim, tap the same spot again to place; ${BUTTONS.rotate.title} turns (${state.rotation}°), ${BUTTONS.leave.title} leaves`;
	}
	if (state.mode === "remove") return `Removing — tap one of your objects, tap it again to remove it; ${BUTTONS.removal.activeTitle} leaves`;
	return `Tap an item to build, ${BUTTONS.removal.title} to remove`;
}
