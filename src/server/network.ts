import { GlobalEvents, GlobalFunctions } from "shared/network";
import { placementRateLimit } from "./placement/rate-limit";

export const Events = GlobalEvents.createServer({});
export const Functions = GlobalFunctions.createServer({
	middleware: {
		placeObject: [placementRateLimit()],
		removeObject: [placementRateLimit()],
	},
});
