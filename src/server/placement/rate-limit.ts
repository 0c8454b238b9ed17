import { Networking } from "@flamework/networking";
import Signal from "@rbxts/signal";
import { PerKeyRateLimiter } from "server/rate-limit/token-bucket";
import { PlacementConfig } from "shared/config/placement-config";
import { PlaceResult, Rejection, RemoveResult } from "shared/placement/placement-types";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";

const limiter = new PerKeyRateLimiter<Player>(PlacementConfig.requestBurst, PlacementConfig.requestsPerSecond);

/** Fires for every request refused by the rate limit, with the player who sent it. */
export const rateLimited = new Signal<(player: Player) => void>();

const RATE_LIMITED: Rejection = {
	success: false,
	reason: RejectionReason.RateLimited,
	message: rejectionMessage(RejectionReason.RateLimited),
};

/**
 * Networking middleware: a player over their request budget is answered at once, before any
 * system runs, so spamming the remote costs the server almost nothing.
 */
export function placementRateLimit<I extends readonly unknown[], O extends PlaceResult | RemoveResult>(): Networking.FunctionMiddleware<I, O> {
	return (processNext) =>
		(player, ...args) => {
			if (player !== undefined && !limiter.tryTake(player, os.clock())) {
				rateLimited.Fire(player);
				// Every placement function answers with a result whose failure case is a Rejection.
				return RATE_LIMITED as O;
			}
			return processNext(player, ...args);
		};
}

/** Drops a player's bucket when they leave. */
export function forgetRateLimit(player: Player) {
	limiter.forget(player);
}
