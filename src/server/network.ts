import { GlobalEvents } from "shared/network";

export const Events = GlobalEvents.createServer({});
