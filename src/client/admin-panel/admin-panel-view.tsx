import { Controller, OnStart } from "@flamework/core";
import React from "@rbxts/react";
import { mountInPlayerGui } from "client/ui/mount";
import { AdminPanelController } from "./admin-panel-controller";
import { AdminPanel } from "./admin-panel";

/** Mounts the admin panel (React) into the PlayerGui as the ScreenGui "AdminPanel" once the player has a role. */
@Controller()
export class AdminPanelView implements OnStart {
	constructor(private readonly controller: AdminPanelController) {}

	onStart() {
		mountInPlayerGui(<AdminPanel key="AdminPanel" controller={this.controller} />);
	}
}
