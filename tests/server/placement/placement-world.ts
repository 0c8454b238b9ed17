import type { PlacementController } from "client/placement/placement-controller";
import type { AnalyticsService } from "server/analytics/analytics-service";
import type { BuildService } from "server/builds/build-service";
import type { ModerationService } from "server/moderation/moderation-service";
import type { PlacementTracker } from "server/placement-tracker/placement-tracker";
import type { SystemManager } from "server/system-manager/system-manager";
import type { ModerationRules } from "shared/config/moderation-config";
import { singletonOf, waitUntil, World } from "../../harness/world";

/** Limits loose enough that moderation never interferes with a spec about something else. */
export const PERMISSIVE: ModerationRules = {
	maxObjectsPerMinute: 1000,
	maxObjectsInRadius: 1000,
	maxSameItemType: 1000,
	checkRadius: 50,
};

export interface ServerSystems {
	readonly systems: SystemManager;
	readonly tracker: PlacementTracker;
	readonly moderation: ModerationService;
	readonly analytics: AnalyticsService;
	readonly builds: BuildService;
}

export function systemsOf(server: HeadlessServer): ServerSystems {
	const root = "ServerScriptService.TS";
	return {
		systems: singletonOf(server, `${root}.system-manager.system-manager`, "SystemManager"),
		tracker: singletonOf(server, `${root}.placement-tracker.placement-tracker`, "PlacementTracker"),
		moderation: singletonOf(server, `${root}.moderation.moderation-service`, "ModerationService"),
		analytics: singletonOf(server, `${root}.analytics.analytics-service`, "AnalyticsService"),
		builds: singletonOf(server, `${root}.builds.build-service`, "BuildService"),
	};
}

export function controllerOf(client: HeadlessClient): PlacementController {
	const name = client.localPlayer()!.Name;
	return singletonOf(client, `Players.${name}.PlayerScripts.TS.placement.placement-controller`, "PlacementController");
}

/** Joins a builder and waits until their build is loaded into their plot. */
export function joinBuilder(world: World, server: HeadlessServer, userId: number, name: string) {
	const client = world.join(server, { userId, name });
	const { builds } = systemsOf(server);
	waitUntil(() => builds.isLoaded(userId), 60, `${name}'s build to load`);
	Headless.frames(2);
	return { client, controller: controllerOf(client) };
}
