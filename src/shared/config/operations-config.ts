/** How SystemManager isolates errors in a system and decides its state. */
export const IsolationConfig = {
	/** Errors within the window after which a system is FAILED (one error makes it DEGRADED). */
	failedAfterErrors: 5,
	/** Errors older than this no longer count; a DEGRADED system with none left is OPERATIONAL again. */
	errorWindowSeconds: 60,
	/** Seconds between health checks (each system's status(), under isolation). */
	healthCheckSeconds: 1,
	/** Error messages kept per system for the report. */
	recentErrors: 5,
	/** Longest report text per system, in characters; larger reports are replaced by a notice. */
	maxReportCharacters: 16_384,
} as const;

/**
 * When emergency mode starts on its own, and how it ends. While it is on, streaming is turned down
 * one relief step on top of any memory relief (StreamingReliefConfig: radii ×0.6, budgets ×0.5).
 */
export interface EmergencyPolicy {
	/** Systems FAILED at once that start emergency mode. */
	failedSystemsToEnter: number;
	/** Whether reaching the emergency memory level starts emergency mode. */
	enterOnEmergencyMemory: boolean;
	/**
	 * "auto": an automatic emergency ends once its cause has been gone for `stableSeconds`;
	 * "manual": only `exitEmergencyMode()` ends it. One entered by an admin always needs an exit.
	 */
	exit: "auto" | "manual";
	stableSeconds: number;
}

export const EmergencyConfig: EmergencyPolicy = {
	failedSystemsToEnter: 2,
	enterOnEmergencyMemory: true,
	exit: "auto",
	stableSeconds: 60,
};

/** Auto-monitoring: the spec's 5-minute status lines and the alerts. */
export const MonitoringConfig = {
	intervalSeconds: 300,
	/** Average response time above which an alert is raised, seconds (the spec compares with 0.1). */
	maxAverageResponseSeconds: 0.1,
	/** Memory above which an alert is raised, MB (the spec's check); the warning level alerts too. */
	memoryAlertMb: 800,
	minFramesPerSecond: 30,
	/** Alerts kept for admin commands. */
	alertBufferSize: 100,
	/** Optional webhook: off by default, never in Studio. */
	webhook: { enabled: false, url: "" },
};

/** The fleet view: each server's status in a MemoryStore sorted map. */
export const FleetConfig = {
	mapName: "ServerStatus",
	publishIntervalSeconds: 5,
	/** An entry not refreshed within this many seconds expires (a dead server drops out). */
	expirationSeconds: 30,
};
