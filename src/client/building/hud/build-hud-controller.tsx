import { Controller, OnStart } from "@flamework/core";
import React from "@rbxts/react";
import { mountInPlayerGui } from "client/ui/mount";
import { BuildController } from "../build-controller";
import { BuildHud } from "./build-hud";

/** Mounts the build HUD (React) into the PlayerGui as the ScreenGui "BuildHud". */
@Controller()
export class BuildHudController implements OnStart {
	constructor(private readonly build: BuildController) {}

	onStart() {
		mountInPlayerGui(<BuildHud key="BuildHud" build={this.build} />);
	}
}
