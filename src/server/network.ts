import { AdminRefusal, AdminResponse, refusalMessage } from "shared/admin/admin-types";
import { GlobalEvents, GlobalFunctions } from "shared/network";
import { Rejection } from "shared/placement/placement-types";
import { RejectionReason, rejectionMessage } from "shared/placement/rejection-reason";
import { createGatedEventServer, createGatedFunctionServer } from "./inbound-gate/gated-server";

const RATE_LIMITED: Rejection = {
	success: false,
	reason: RejectionReason.RateLimited,
	message: rejectionMessage(RejectionReason.RateLimited),
};

// Every incoming call meets the inbound gate first (rate limit, size, arity, the contract's
// guards); server→client remotes are sealed. See src/server/inbound-gate.
function adminRefusal(refusal: AdminRefusal): AdminResponse {
	return { ok: false, refusal, message: refusalMessage(refusal) };
}

export const Events = createGatedEventServer(GlobalEvents, {});
export const Functions = createGatedFunctionServer(GlobalFunctions, {
	rateLimited: { placeObject: RATE_LIMITED, removeObject: RATE_LIMITED, adminCommand: adminRefusal(AdminRefusal.RateLimited) },
	malformed: { adminCommand: adminRefusal(AdminRefusal.InvalidArguments) },
});
