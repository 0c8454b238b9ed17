import React, { useLayoutEffect, useState } from "@rbxts/react";
import { useStoreValue } from "client/ui/use-store";
import { BuildController } from "../build-controller";
import { Toast } from "../build-store";
import { HudLabel } from "./hud-label";

/** How often a countdown checks the clock (it re-renders only when the whole second changes). */
const COUNTDOWN_CHECK_SECONDS = 0.25;

function secondsLeft(toast: Toast | undefined): number {
	if (toast?.countdownUntil === undefined) return 0;
	return math.max(0, math.ceil(toast.countdownUntil - os.clock()));
}

/** The whole seconds left of a toast's countdown, kept current while it runs. */
function useSecondsLeft(toast: Toast | undefined): number {
	const [left, setLeft] = useState(() => secondsLeft(toast));
	useLayoutEffect(() => {
		setLeft(secondsLeft(toast));
		if (toast?.countdownUntil === undefined) return;
		// A flag, not task.cancel: the cleanup can run inside this very thread (React flushes
		// pending effects before the render a setLeft starts).
		let current = true;
		task.spawn(() => {
			while (current && secondsLeft(toast) > 0) {
				task.wait(COUNTDOWN_CHECK_SECONDS);
				if (current) setLeft(secondsLeft(toast));
			}
		});
		return () => {
			current = false;
		};
	}, [toast]);
	return left;
}

/** A refusal (the server's message), with a cooldown's remaining seconds while it runs. */
export function ToastView({ build }: { readonly build: BuildController }) {
	const toast = useStoreValue(build.store, (state) => state.toast);
	const left = useSecondsLeft(toast);
	const text = toast === undefined ? "" : left > 0 ? `${toast.message} (${left} s left)` : toast.message;
	return (
		<HudLabel
			text={text}
			visible={toast !== undefined}
			position={new UDim2(0.5, -320, 0, 80)}
			size={UDim2.fromOffset(640, 36)}
			textSize={18}
			background={Color3.fromRGB(150, 40, 40)}
		/>
	);
}
