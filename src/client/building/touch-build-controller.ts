import { Controller, OnStart } from "@flamework/core";
import { UserInputService } from "@rbxts/services";
import { BuildController } from "./build-controller";
import { GhostController } from "./ghost-controller";

/**
 * Building by touch: a tap in the world aims the ghost (or the removal highlight) at the tapped
 * point; a second tap on the same cell places, on the same highlighted object removes. Taps on
 * GUI (the hotbar, the touch buttons) are the GUI's. The mode buttons are BuildController's.
 */
@Controller()
export class TouchBuildController implements OnStart {
	constructor(
		private readonly build: BuildController,
		private readonly ghost: GhostController,
	) {}

	onStart() {
		UserInputService.TouchTap.Connect((positions, processed) => {
			if (processed) return;
			const point = positions[0];
			if (point !== undefined) this.onTap(point);
		});
	}

	private onTap(point: Vector2) {
		if (this.build.store.state().mode === "idle") return;
		if (this.ghost.aimAtTap(point)) this.build.use();
	}
}
