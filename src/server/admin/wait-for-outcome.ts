import Signal from "@rbxts/signal";
import { Ticket, UnderWayCommands } from "./under-way";

/** Yields until the ticket has its outcome or `limit` seconds have passed, whichever comes first. */
export function waitForOutcome<P extends defined>(tickets: UnderWayCommands<P>, ticket: Ticket<P>, limit: number) {
	if (ticket.response !== undefined) return;
	const wake = new Signal();
	let woken = false;
	let timedOut = false;
	const wakeOnce = () => {
		if (woken) return;
		woken = true;
		wake.Fire();
	};
	const stop = tickets.onFinished(ticket, wakeOnce);
	const timer = task.delay(limit, () => {
		timedOut = true;
		wakeOnce();
	});
	wake.Wait();
	stop();
	// The timer's own thread is the one waking us when it fired: only a pending one is cancelled.
	if (!timedOut) task.cancel(timer);
	wake.Destroy();
}
