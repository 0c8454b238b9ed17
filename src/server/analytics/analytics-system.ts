import { Service } from "@flamework/core";
import { CriticalSystem, SystemStatus } from "server/system-manager/critical-system";
import { AnalyticsService } from "./analytics-service";
import { AnalyticsReport } from "./analytics-types";
import { countText } from "shared/text/count-text";

declare module "server/system-manager/critical-system" {
	interface CriticalSystemMap {
		analytics: AnalyticsSystem;
	}
}

/** The analytics section of the system report (JSON-safe: no per-player map). */
export type AnalyticsSystemReport = Omit<AnalyticsReport, "playerActivity">;

/** Analytics as a critical system. */
@Service()
export class AnalyticsSystem implements CriticalSystem {
	readonly systemName = "analytics";
	readonly isolates: readonly object[];

	constructor(readonly analytics: AnalyticsService) {
		this.isolates = [analytics];
	}

	status(): SystemStatus {
		const report = this.analytics.report();
		return { state: "OPERATIONAL", reason: `${countText(report.placements, "placement")}, ${countText(report.responseTime.samples, "timed request")}` };
	}

	report(): AnalyticsSystemReport {
		const report = this.analytics.report();
		return {
			totalObjects: report.totalObjects,
			placements: report.placements,
			removals: report.removals,
			rejections: report.rejections,
			rejectionsByReason: report.rejectionsByReason,
			activePlayers: report.activePlayers,
			responseTime: report.responseTime,
		};
	}

	/** Counters are the record of what happened and are kept; totals are derived from the tracker. */
	restart() {
		this.analytics.report();
	}
}
