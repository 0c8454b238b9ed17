import { Modding } from "@flamework/core";
import type { PlacementController } from "client/placement/placement-controller";
import type { AnalyticsService } from "server/analytics/analytics-service";
import { BotStats } from "./bot-stats";
import { runBuilder } from "./builder-bot";
import { runGriefer } from "./griefer-bot";

/**
 * Glue the headless play session uses: `startBot` runs inside a bot's client peer, `report`
 * inside the server peer (each resolves that peer's own Flamework singletons).
 */
export function startBot(kind: BotStats["kind"], name: string, seed: number, controllerModule: ModuleScript): BotStats {
	// The running controller is the copy in the player's PlayerScripts, not StarterPlayerScripts'.
	const exported = require(controllerModule) as { PlacementController: new (...args: never[]) => PlacementController };
	const controller = Modding.resolveSingleton(exported.PlacementController);
	return kind === "builder" ? runBuilder(controller, name, seed) : runGriefer(controller, name, seed);
}

export interface SessionReport {
	objects: number;
	placements: number;
	removals: number;
	rejectionsByReason: Record<string, number>;
	responseTime: { samples: number; average: number; p50: number; p95: number; p99: number };
}

/** `analyticsModule` is the server's analytics-service module (tests cannot import server code). */
export function report(analyticsModule: ModuleScript): SessionReport {
	const exported = require(analyticsModule) as { AnalyticsService: new (...args: never[]) => AnalyticsService };
	const analytics = Modding.resolveSingleton(exported.AnalyticsService).report();
	const rejectionsByReason: Record<string, number> = {};
	for (const [reason, count] of pairs(analytics.rejectionsByReason)) rejectionsByReason[reason] = count as number;
	return {
		objects: analytics.totalObjects,
		placements: analytics.placements,
		removals: analytics.removals,
		rejectionsByReason,
		responseTime: { ...analytics.responseTime },
	};
}
