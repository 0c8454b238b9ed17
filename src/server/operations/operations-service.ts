import { Service } from "@flamework/core";
import { HttpService, Players } from "@rbxts/services";
import { AnalyticsService } from "server/analytics/analytics-service";
import { ServerPerformanceService } from "server/performance/server-performance-service";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { SystemStatus } from "server/system-manager/critical-system";
import { RestartResult, SystemRegistry } from "server/system-manager/system-registry";
import { IsolationConfig } from "shared/config/operations-config";
import { RejectionReason } from "shared/placement/rejection-reason";
import { AdminAlert } from "shared/admin/admin-types";
import { AlertService } from "./alert-service";
import { EmergencyExit, EmergencyModeService, EmergencyState } from "./emergency-mode";
import { FrameTimes } from "./frame-times";
import { Preflight, PreflightReport } from "./preflight";
import { SystemHealthEntry, SystemReport, SystemStatusSummary, overallOf } from "./system-report";

/**
 * SystemManager's operations side: status, the system report, restarts, and whether requests
 * are refused while a system restarts.
 */
@Service()
export class OperationsService {
	constructor(
		readonly registry: SystemRegistry,
		private readonly analytics: AnalyticsService,
		private readonly performance: ServerPerformanceService,
		private readonly frameTimes: FrameTimes,
		private readonly tracker: PlacementTracker,
		readonly emergency: EmergencyModeService,
		private readonly preflight: Preflight,
		private readonly alerts: AlertService,
	) {}

	/** The newest operations alerts (the ring buffer admin commands read), oldest first. */
	recentAlerts(count?: number): AdminAlert[] {
		return this.alerts.recent(count);
	}

	runPreflight(): PreflightReport {
		return this.preflight.run();
	}

	/** Why placements and removals are refused right now, if they are. */
	refusal(): RejectionReason | undefined {
		if (this.emergency.isActive()) return RejectionReason.EmergencyMode;
		if (!this.registry.anyRestarting()) return undefined;
		for (const name of this.registry.names()) {
			const system = (this.registry.systems as unknown as Record<string, { servesPlacements?: boolean }>)[name];
			if (system.servesPlacements === true && this.registry.isRestarting(name)) return RejectionReason.SystemRestarting;
		}
		return undefined;
	}

	getSystemStatus(): SystemStatusSummary {
		const statuses = this.registry.statuses();
		const { overall, reason } = overallOf(statuses, this.emergencyReason());
		const systems: Record<string, SystemStatus> = {};
		for (const [name, status] of statuses) systems[name] = status;
		return { overall, reason, systems };
	}

	generateSystemReport(): SystemReport {
		const systemReports: Record<string, object> = {};
		const omittedReports: Record<string, string> = {};
		for (const name of this.registry.names()) {
			const report = this.registry.reportOf(name);
			if (report === undefined) {
				omittedReports[name] = "its report failed (the error is counted)";
				continue;
			}
			const [encoded, text] = pcall(() => HttpService.JSONEncode(report));
			if (!encoded) omittedReports[name] = `its report is not JSON-safe: ${text}`;
			else if (text.size() > IsolationConfig.maxReportCharacters) omittedReports[name] = `its report is ${text.size()} characters, over ${IsolationConfig.maxReportCharacters}`;
			else systemReports[name] = report;
		}
		// Statuses after the reports, so an error a report raised shows in its system's state.
		const statuses = this.registry.statuses();
		const { overall, reason } = overallOf(statuses, this.emergencyReason());
		const systems: Record<string, SystemHealthEntry> = {};
		for (const [name, status] of statuses) {
			const figures = this.registry.healthFigures(name)!;
			systems[name] = {
				state: status.state,
				reason: status.reason,
				errors: figures.totalErrors,
				errorsInWindow: figures.errorsInWindow,
				restarts: figures.restarts,
				recentErrors: figures.recentErrors,
			};
		}
		const response = this.analytics.report().responseTime;
		const performance = this.performance.snapshot();
		return {
			generatedAt: os.time(),
			jobId: game.JobId,
			systemHealth: { overall, reason, systems },
			performanceMetrics: {
				averageResponseTime: response.average,
				p50ResponseTime: response.p50,
				p95ResponseTime: response.p95,
				p99ResponseTime: response.p99,
				responseSamples: response.samples,
				serverFps: performance.framesPerSecond,
				frameTimeP99: this.frameTimes.p99(),
				uptime: performance.uptimeSeconds,
				players: Players.GetPlayers().size(),
				objects: this.tracker.totalObjects(),
			},
			systemReports,
			omittedReports,
		};
	}

	restartSystem(name: string): RestartResult {
		return this.registry.restart(name);
	}

	enterEmergencyMode(reason: string): EmergencyState {
		return this.emergency.enter(reason, "admin");
	}

	exitEmergencyMode(): EmergencyExit {
		return this.emergency.exit();
	}

	private emergencyReason(): string | undefined {
		const state = this.emergency.state();
		return state === undefined ? undefined : `emergency mode: ${state.reason}`;
	}
}
