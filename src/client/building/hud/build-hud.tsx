import React from "@rbxts/react";
import { UserInputService } from "@rbxts/services";
import { BuildUiConfig } from "shared/config/build-ui-config";
import { useStoreValue } from "client/ui/use-store";
import { BuildController } from "../build-controller";
import { Hotbar, SLOT_HEIGHT } from "./hotbar";
import { HudLabel } from "./hud-label";
import { statusLine, touchStatusLine } from "./status-line";
import { ToastView } from "./toast";

/**
 * The build HUD: the hotbar, a line saying what mode the player is in and what the keys do,
 * "saving delayed" while it applies, and a toast for refusals with a cooldown's remaining
 * seconds. It only reads the BuildController's store; clicks call the controller.
 */
export function BuildHud({ build }: { readonly build: BuildController }) {
	const phone = UserInputService.TouchEnabled && !UserInputService.MouseEnabled;
	const status = useStoreValue(build.store, phone ? touchStatusLine : statusLine);
	const savingDelayed = useStoreValue(build.store, (state) => state.savingDelayed);
	return (
		<screengui IgnoreGuiInset={true} ResetOnSpawn={false}>
			<Hotbar key="Hotbar" build={build} />
			<HudLabel key="Status" text={status} position={new UDim2(0.5, -300, 1, -SLOT_HEIGHT - 52)} size={UDim2.fromOffset(600, 24)} textSize={16} />
			<ToastView key="Toast" build={build} />
			<HudLabel
				key="SaveNotice"
				text={BuildUiConfig.savingDelayedText}
				visible={savingDelayed}
				position={new UDim2(0.5, -300, 1, -SLOT_HEIGHT - 84)}
				size={UDim2.fromOffset(600, 26)}
				textSize={16}
				background={BuildUiConfig.savingDelayedColor}
			/>
		</screengui>
	);
}
