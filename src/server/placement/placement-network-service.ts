import { OnStart, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { AnalyticsService } from "server/analytics/analytics-service";
import { Functions } from "server/network";
import { SystemManager } from "server/system-manager/system-manager";
import { GlobalFunctions } from "shared/network";
import { RejectionReason } from "shared/placement/rejection-reason";
import { forgetRateLimit, rateLimited } from "./rate-limit";

/** Connects the placement remotes to SystemManager and counts what never reaches it. */
@Service()
export class PlacementNetworkService implements OnStart {
	constructor(
		private readonly systems: SystemManager,
		private readonly analytics: AnalyticsService,
	) {}

	onStart() {
		Functions.placeObject.setCallback((player, itemId, position, rotation) =>
			this.systems.placeObject(player, itemId, position, rotation),
		);
		Functions.removeObject.setCallback((player, placementId) => this.systems.removeObject(player, placementId));
		// Payloads that fail Flamework's guards are answered with BadRequest and never reach the systems.
		GlobalFunctions.registerHandler("onBadRequest", (player) =>
			this.analytics.recordRejection(player.UserId, RejectionReason.InvalidPayload),
		);
		rateLimited.Connect((player) => this.analytics.recordRejection(player.UserId, RejectionReason.RateLimited));
		Players.PlayerRemoving.Connect((player) => forgetRateLimit(player));
	}
}
