/** The admin panel's key, refresh and look (client). */
export const AdminPanelConfig = {
	/** The key that opens and closes the panel (the build tools do not use it). */
	toggleKey: Enum.KeyCode.F2,
	/** The gamepad button that does the same. */
	toggleButton: Enum.KeyCode.ButtonSelect,
	/** On a touch device, the on-screen button that does the same: its title and place among the build tools' buttons. */
	touchButton: { title: "Admin", position: new UDim2(1, -160, 0, 80) },
	/**
	 * Seconds between refreshes of status, report and fleet while the panel is open. Every call
	 * spends the admin's rate limit (5, then one per 2 s) and is audited, so a refresh of three
	 * commands every 10 s leaves room for the admin's own commands.
	 */
	refreshSeconds: 10,
	/** Alerts kept in the panel, newest first. */
	maxAlerts: 5,
	/** Rollback targets offered, in minutes before now. */
	rollbackMinutes: [10, 60, 360, 1440] as readonly number[],
	/** Entry counts the audit picker offers (the server reads at most `AdminConfig.maxAuditRead`). */
	auditCounts: [20, 50, 100] as readonly number[],
	/** Backup ids the backup picker remembers besides LATEST, newest first. */
	maxKnownBackups: 8,
	panelColor: Color3.fromRGB(22, 25, 31),
	buttonColor: Color3.fromRGB(55, 62, 75),
	destructiveColor: Color3.fromRGB(140, 55, 50),
	confirmColor: Color3.fromRGB(90, 60, 20),
} as const;
