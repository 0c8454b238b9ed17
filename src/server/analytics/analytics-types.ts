import { RejectionReason } from "shared/placement/rejection-reason";

/** Response time figures over the rolling window, in seconds. */
export interface ResponseTimeReport {
	readonly samples: number;
	readonly average: number;
	readonly p50: number;
	readonly p95: number;
	readonly p99: number;
}

export interface PlayerActivity {
	placements: number;
	removals: number;
	rejections: number;
}

/** The analytics section of the system report. */
export interface AnalyticsReport {
	readonly totalObjects: number;
	readonly placements: number;
	readonly removals: number;
	readonly rejections: number;
	readonly rejectionsByReason: Partial<Record<RejectionReason, number>>;
	readonly activePlayers: number;
	readonly playerActivity: ReadonlyMap<number, Readonly<PlayerActivity>>;
	readonly responseTime: ResponseTimeReport;
}
