import { yieldUntil } from "shared/threads/yield-until";
import { Ticket, UnderWayCommands } from "./under-way";

/** Yields until the ticket has its outcome or `limit` seconds have passed, whichever comes first. */
export function waitForOutcome<P extends defined>(tickets: UnderWayCommands<P>, ticket: Ticket<P>, limit: number) {
	if (ticket.response !== undefined) return;
	yieldUntil(limit, (wake) => tickets.onFinished(ticket, wake));
}

/**
 * Calls `stuck` once if the ticket still has no outcome `limit` seconds from now (a timer, no
 * polling); the timer is cancelled as soon as the ticket finishes.
 */
export function whenNoOutcome<P extends defined>(tickets: UnderWayCommands<P>, ticket: Ticket<P>, limit: number, stuck: () => void) {
	if (ticket.response !== undefined) return;
	let stop = () => {};
	const timer = task.delay(limit, () => {
		// Unhooked first: `stuck` finishes the ticket, and this thread must not cancel itself.
		stop();
		if (ticket.response === undefined) stuck();
	});
	stop = tickets.onFinished(ticket, () => task.cancel(timer));
}
