import { BuildState } from "../build-store";

/** What the status line says for the mode the player is in. */
export function statusLine(state: Readonly<BuildState>): string {
	if (state.mode === "build") return `Building — R rotates (${state.rotation}°), click places, Q or Esc leaves, X removes`;
	if (state.mode === "remove") return "Removing — click one of your objects to remove it, X or Q leaves";
	return "Press 1–9 or click an item to build, X to remove";
}
