import { yieldUntil } from "shared/threads/yield-until";
import { Ticket, UnderWayCommands } from "./under-way";

/** Yields until the ticket has its outcome or `limit` seconds have passed, whichever comes first. */
export function waitForOutcome<P extends defined>(tickets: UnderWayCommands<P>, ticket: Ticket<P>, limit: number) {
	if (ticket.response !== undefined) return;
	yieldUntil(limit, (wake) => tickets.onFinished(ticket, wake));
}
