import { OnStart, Service } from "@flamework/core";
import { MonitoringConfig } from "shared/config/operations-config";
import { AlertService } from "./alert-service";
import { OperationsService } from "./operations-service";
import { SystemReport } from "./system-report";

/** What one monitoring round saw and raised. */
export interface MonitorRound {
	/** Unix seconds. */
	readonly at: number;
	readonly lines: readonly string[];
	readonly alerts: readonly string[];
}

function ms(seconds: number): string {
	return string.format("%.1f ms", seconds * 1000);
}

/** The spec's status lines for a report, plus the memory/FPS/response line. */
export function statusLines(report: SystemReport, players: number): string[] {
	const memory = report.systemReports.memoryManager;
	const metrics = report.performanceMetrics;
	return [
		`📊 SYSTEM STATUS: ${report.systemHealth.overall}`,
		`   Memory: ${memory?.currentMemory ?? "?"} MB`,
		`   Objects: ${report.systemReports.analytics?.totalObjects ?? metrics.objects}`,
		`   Players: ${players}`,
		`   FPS: ${string.format("%.1f", metrics.serverFps)} (frame p99 ${ms(metrics.frameTimeP99)}), response avg ${ms(metrics.averageResponseTime)} p95 ${ms(metrics.p95ResponseTime)} p99 ${ms(metrics.p99ResponseTime)}`,
	];
}

/** The alerts a report warrants, in words. */
export function alertsFor(report: SystemReport): string[] {
	const alerts: string[] = [];
	const health = report.systemHealth;
	if (health.overall !== "OPERATIONAL") alerts.push(`Status is ${health.overall} (${health.reason})`);
	const metrics = report.performanceMetrics;
	if (metrics.averageResponseTime > MonitoringConfig.maxAverageResponseSeconds) {
		alerts.push(`Average response time ${ms(metrics.averageResponseTime)} is over ${ms(MonitoringConfig.maxAverageResponseSeconds)}`);
	}
	const memory = report.systemReports.memoryManager;
	if (memory !== undefined && memory.currentMemory > MonitoringConfig.memoryAlertMb) {
		alerts.push(`High memory usage: ${memory.currentMemory} MB (over ${MonitoringConfig.memoryAlertMb} MB, level ${memory.level})`);
	}
	if (metrics.serverFps > 0 && metrics.serverFps < MonitoringConfig.minFramesPerSecond) {
		alerts.push(`Server FPS ${string.format("%.1f", metrics.serverFps)} is under ${MonitoringConfig.minFramesPerSecond}`);
	}
	return alerts;
}

/**
 * The spec's auto-monitoring: every `intervalSeconds` (300) the server logs its status, memory,
 * objects and players, and raises an alert (log, admins online, ring buffer) for a status other
 * than OPERATIONAL, slow responses, high memory or a low frame rate.
 */
@Service()
export class AutoMonitor implements OnStart {
	private readonly rounds: MonitorRound[] = [];

	constructor(
		private readonly operations: OperationsService,
		private readonly alerts: AlertService,
	) {}

	onStart() {
		task.spawn(() => {
			for (;;) {
				task.wait(MonitoringConfig.intervalSeconds);
				const [ok, problem] = pcall(() => this.check());
				if (!ok) warn(`📊 monitoring round failed: ${problem}`);
			}
		});
	}

	/** One monitoring round now. */
	check(): MonitorRound {
		const report = this.operations.generateSystemReport();
		const lines = statusLines(report, report.performanceMetrics.players);
		for (const line of lines) print(line);
		const alerts = alertsFor(report);
		for (const message of alerts) this.alerts.raise("warning", "monitor", message);
		const round: MonitorRound = { at: os.time(), lines, alerts };
		this.rounds.push(round);
		if (this.rounds.size() > 12) this.rounds.remove(0);
		return round;
	}

	lastRound(): MonitorRound | undefined {
		return this.rounds[this.rounds.size() - 1];
	}
}
