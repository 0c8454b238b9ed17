import { OverallState, SystemReports, SystemState, SystemStatus } from "server/system-manager/critical-system";

/** One system in `systemHealth.systems`: its state and reason, and what isolation counted. */
export interface SystemHealthEntry extends SystemStatus {
	readonly errors: number;
	readonly errorsInWindow: number;
	readonly restarts: number;
	readonly recentErrors: readonly string[];
}

/** `getSystemStatus()`: the overall state and each system's. */
export interface SystemStatusSummary {
	readonly overall: OverallState;
	readonly reason: string;
	readonly systems: Record<string, SystemStatus>;
}

/** Performance figures; times in seconds as the spec compares them (0.1 = 100 ms). */
export interface PerformanceMetrics {
	readonly averageResponseTime: number;
	readonly p50ResponseTime: number;
	readonly p95ResponseTime: number;
	readonly p99ResponseTime: number;
	readonly responseSamples: number;
	readonly serverFps: number;
	readonly frameTimeP99: number;
	readonly uptime: number;
	readonly players: number;
	readonly objects: number;
}

/** `generateSystemReport()` in the spec's shape. */
export interface SystemReport {
	/** Unix seconds. */
	readonly generatedAt: number;
	readonly jobId: string;
	readonly systemHealth: {
		readonly overall: OverallState;
		readonly reason: string;
		readonly systems: Record<string, SystemHealthEntry>;
	};
	readonly performanceMetrics: PerformanceMetrics;
	/** Each system's own report; one that failed or was too large says so instead. */
	readonly systemReports: Partial<SystemReports>;
	/** Systems whose report could not be included, and why. */
	readonly omittedReports: Record<string, string>;
}

/** The overall state: EMERGENCY while emergency mode is on, else the worst system's. */
export function overallOf(statuses: ReadonlyMap<string, SystemStatus>, emergencyReason: string | undefined): { overall: OverallState; reason: string } {
	if (emergencyReason !== undefined) return { overall: "EMERGENCY", reason: emergencyReason };
	let worst: SystemState = "OPERATIONAL";
	const reasons: string[] = [];
	const severity: Record<SystemState, number> = { OPERATIONAL: 0, DEGRADED: 1, RESTARTING: 2, FAILED: 3 };
	for (const [, status] of statuses) if (severity[status.state] > severity[worst]) worst = status.state;
	if (worst === "OPERATIONAL") return { overall: worst, reason: "every system is operational" };
	for (const [name, status] of statuses) if (status.state === worst) reasons.push(`${name}: ${status.reason}`);
	return { overall: worst, reason: reasons.join("; ") };
}
