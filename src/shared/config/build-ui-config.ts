/** The build tools' look and timing on the client. */
export const BuildUiConfig = {
	/** Ghost preview tint when the placement would be accepted, and when it would be refused. */
	ghostAccepted: Color3.fromRGB(80, 200, 120),
	ghostRefused: Color3.fromRGB(220, 70, 70),
	ghostTransparency: 0.5,
	/** Hotbar slot colours. */
	slotIdle: Color3.fromRGB(45, 50, 60),
	slotSelected: Color3.fromRGB(70, 130, 220),
	/** How long a refusal toast stays up, in seconds (a cooldown's toast stays until it ends). */
	toastSeconds: 3,
	/** The notice shown while the server says the latest change is not saved durably yet. */
	savingDelayedText: "Saving delayed — your latest changes are kept and will be saved shortly",
	savingDelayedColor: Color3.fromRGB(170, 120, 30),
	/** How far the mouse ray reaches from the camera, in studs. */
	rayLength: 1000,
	/**
	 * On a touch device, the on-screen buttons of the mode actions: their titles, and positions in
	 * Roblox's touch button frame (the lower right of the screen), clear of the hotbar and, on a
	 * 720 px high screen, above Roblox's jump button (72 px at about 1124, 534).
	 */
	touchButtons: {
		rotate: { title: "Rotate", position: new UDim2(1, -80, 0, 0) },
		/** `activeTitle` while removal mode is on (a tap then leaves it). */
		removal: { title: "Remove", activeTitle: "Stop", position: new UDim2(1, -80, 0, 80) },
		leave: { title: "Done", position: new UDim2(1, -160, 0, 0) },
	},
} as const;
