import { HttpService } from "@rbxts/services";
import { SystemReport } from "server/operations/system-report";
import { worstState } from "server/system-manager/health-report";
import { SystemManager } from "server/system-manager/system-manager";
import {
	AlertLine,
	CleanupResult,
	EmergencyResult,
	FleetServerLine,
	OperationsState,
	PreflightCheck,
	ReportSection,
	RestartResult,
	SystemHealthLine,
	SystemLine,
	SystemReportResult,
	SystemStatusResult,
} from "shared/admin/admin-types";
import { ProgressFacts } from "./command-progress";

/** Longest value shown for one figure of a system's report. */
const MAX_VALUE_LENGTH = 200;

/**
 * What the admin commands need from the server's operations. Every member is backed by
 * SystemManager's operations API; a command whose member is missing answers `Unavailable`,
 * never a made-up result.
 */
export interface AdminOperations {
	systemStatus: () => SystemStatusResult;
	systemReport?: () => SystemReportResult;
	forceCleanup?: () => CleanupResult;
	/** Restarts one system by name; a string is the reason it could not. */
	restartSystem?: (name: string) => RestartResult | string;
	setEmergencyMode?: (on: boolean, reason?: string) => EmergencyResult;
	fleetStatus?: () => FleetServerLine[];
	preflight?: () => PreflightCheck[];
	alerts?: () => AlertLine[];
	/** What slow work has done so far, for a command answered while still under way. */
	progressFacts?: () => ProgressFacts;
}

/** An operations state in the health words `systemstatus` uses. */
function healthOf(state: OperationsState): SystemLine["state"] {
	if (state === "OPERATIONAL") return "healthy";
	if (state === "DEGRADED" || state === "RESTARTING") return "degraded";
	return "failing";
}

function rounded(value: number, places = 1): number {
	const scale = 10 ** places;
	return math.floor(value * scale + 0.5) / scale;
}

/** One system's report as label/value lines: its figures as they are, nested tables as JSON. */
function sectionOf(name: string, report: object): ReportSection {
	const lines: { label: string; value: string }[] = [];
	for (const [key, value] of pairs(report as Record<string, unknown>)) {
		const text = typeIs(value, "table") ? HttpService.JSONEncode(value) : tostring(value);
		lines.push({ label: tostring(key), value: text.size() > MAX_VALUE_LENGTH ? `${text.sub(1, MAX_VALUE_LENGTH - 1)}…` : text });
	}
	lines.sort((a, b) => a.label < b.label);
	return { title: name, lines };
}

/** `generateSystemReport()` in the wire shape: the spec's fields, each system's report as lines. */
export function reportForAdmins(report: SystemReport): SystemReportResult {
	const systems: Record<string, SystemHealthLine> = {};
	for (const [name, entry] of pairs(report.systemHealth.systems)) {
		systems[name] = { state: entry.state, reason: entry.reason, errors: entry.errors, restarts: entry.restarts };
	}
	const systemReports: Record<string, ReportSection> = {};
	for (const [name, systemReport] of pairs(report.systemReports as Record<string, object>)) systemReports[name] = sectionOf(name, systemReport);
	const metrics = report.performanceMetrics;
	return {
		generatedAt: report.generatedAt,
		jobId: report.jobId,
		systemHealth: { overall: report.systemHealth.overall, reason: report.systemHealth.reason, systems },
		performanceMetrics: {
			averageResponseTime: metrics.averageResponseTime,
			p95ResponseTime: metrics.p95ResponseTime,
			p99ResponseTime: metrics.p99ResponseTime,
			serverFps: metrics.serverFps,
			frameTimeP99: metrics.frameTimeP99,
			uptime: metrics.uptime,
			players: metrics.players,
			objects: metrics.objects,
		},
		systemReports,
		omittedReports: { ...report.omittedReports },
	};
}

/** The operations SystemManager offers, in the admin commands' result types. */
export function operationsOf(systems: SystemManager): AdminOperations {
	return {
		systemStatus: () => {
			const health = systems.health();
			const backup = health.dataBackup;
			const lastBackup = backup.lastBackupId === undefined ? "no backup yet" : `last backup ${backup.lastBackupId}`;
			const failures = backup.consecutiveFailures > 0 ? `, ${backup.consecutiveFailures} consecutive failures` : "";
			const status = systems.getSystemStatus();
			const backupSystem = status.systems.dataBackup;
			const lines: SystemLine[] = [
				{
					name: "dataBackup",
					state: worstState([backup.health, backupSystem ? healthOf(backupSystem.state) : "healthy"]),
					operationsState: backupSystem?.state,
					detail: `${lastBackup}${failures}`,
				},
			];
			const names: string[] = [];
			for (const [name] of pairs(status.systems)) if (name !== "dataBackup") names.push(name);
			names.sort();
			for (const name of names) {
				const system = status.systems[name];
				lines.push({ name, state: healthOf(system.state), operationsState: system.state, detail: system.reason });
			}
			if (status.overall === "EMERGENCY") lines.push({ name: "emergencyMode", state: "failing", operationsState: "EMERGENCY", detail: status.reason });
			return {
				overall: worstState([health.overall, healthOf(status.overall)]),
				operationsState: status.overall,
				jobId: game.JobId,
				players: health.players,
				objects: health.objects,
				systems: lines,
			};
		},
		systemReport: () => reportForAdmins(systems.generateSystemReport()),
		forceCleanup: () => {
			const cleanup = systems.systems.memoryManager.emergencyCleanup();
			const actions = cleanup.actions.map((record) => `${record.action} by ${record.by}: ${record.detail}`);
			return { memoryBeforeMb: rounded(cleanup.beforeMb), memoryAfterMb: rounded(cleanup.afterMb), actions };
		},
		restartSystem: (name) => {
			if (!systems.getSystemStatus().systems[name]) return `no critical system named ${name}`;
			const outcome = systems.restartSystem(name);
			return { system: outcome.system, restarted: outcome.success, detail: outcome.message };
		},
		setEmergencyMode: (on, reason) => {
			if (!on) return { active: false, heldOff: systems.exitEmergencyMode().heldOff };
			const state = systems.enterEmergencyMode(reason ?? "entered by an admin");
			// Entering waits for the emergency backup, so the emergency may have ended by now.
			return { active: state.ended === undefined, reason: state.reason, backup: state.backup };
		},
		fleetStatus: () => {
			const now = os.time();
			return systems.getFleetStatus().map((entry) => ({
				jobId: entry.jobId,
				players: entry.players,
				objects: entry.objects,
				overall: entry.overall,
				memoryMb: rounded(entry.memoryMb),
				fps: entry.fps,
				uptime: entry.uptime,
				ageSeconds: math.max(0, now - entry.publishedAt),
			}));
		},
		preflight: () => [...systems.runPreflight().checks],
		alerts: () => systems.recentAlerts(),
		progressFacts: () => {
			const emergency = systems.emergencyState();
			return { emergency: emergency && { reason: emergency.reason, backupDone: emergency.backup !== undefined } };
		},
	};
}
