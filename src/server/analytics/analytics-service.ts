import { Service } from "@flamework/core";
import { PlacementTracker } from "server/placement-tracker/placement-tracker";
import { RejectionReason } from "shared/placement/rejection-reason";
import { AnalyticsReport, PlayerActivity } from "./analytics-types";
import { RollingSamples } from "./rolling-samples";

/** Response-time samples kept for the percentiles. */
const RESPONSE_WINDOW = 2000;

/** Counts what happens to placements and how long the server takes to decide. */
@Service()
export class AnalyticsService {
	private placements = 0;
	private removals = 0;
	private rejections = 0;
	private readonly byReason = new Map<RejectionReason, number>();
	private readonly activity = new Map<number, PlayerActivity>();
	private readonly responseTimes = new RollingSamples(RESPONSE_WINDOW);

	constructor(private readonly tracker: PlacementTracker) {}

	recordPlacement(userId: number) {
		this.placements += 1;
		this.activityOf(userId).placements += 1;
	}

	recordRemoval(userId: number) {
		this.removals += 1;
		this.activityOf(userId).removals += 1;
	}

	recordRejection(userId: number | undefined, reason: RejectionReason) {
		this.rejections += 1;
		this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + 1);
		if (userId !== undefined) this.activityOf(userId).rejections += 1;
	}

	/** How long one placeObject/removeObject call took, in seconds. */
	recordResponseTime(seconds: number) {
		this.responseTimes.record(seconds);
	}

	rejectionCount(reason: RejectionReason): number {
		return this.byReason.get(reason) ?? 0;
	}

	report(): AnalyticsReport {
		const rejectionsByReason: Partial<Record<RejectionReason, number>> = {};
		for (const [reason, count] of this.byReason) rejectionsByReason[reason] = count;
		const summary = this.responseTimes.summary();
		return {
			totalObjects: this.tracker.totalObjects(),
			placements: this.placements,
			removals: this.removals,
			rejections: this.rejections,
			rejectionsByReason,
			activePlayers: this.activity.size(),
			playerActivity: this.activity,
			responseTime: {
				samples: summary.count,
				average: summary.average,
				p50: summary.p50,
				p95: summary.p95,
				p99: summary.p99,
			},
		};
	}

	private activityOf(userId: number): PlayerActivity {
		let activity = this.activity.get(userId);
		if (activity === undefined) {
			activity = { placements: 0, removals: 0, rejections: 0 };
			this.activity.set(userId, activity);
		}
		return activity;
	}
}
