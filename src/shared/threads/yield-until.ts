/**
 * Yields the running thread until `subscribe`'s `wake` is called or `timeoutSeconds` pass,
 * whichever is first; `subscribe` hooks `wake` to whatever should end the wait and returns how to
 * unhook it. `wake` must not be called before this thread yields (check the condition first).
 * Woken by signals, never polled.
 */
export function yieldUntil(timeoutSeconds: number, subscribe: (wake: () => void) => () => void) {
	const waiting = coroutine.running();
	let woken = false;
	let timedOut = false;
	const wake = () => {
		if (woken) return;
		woken = true;
		task.spawn(waiting);
	};
	const unhook = subscribe(wake);
	const timer = task.delay(timeoutSeconds, () => {
		timedOut = true;
		wake();
	});
	coroutine.yield();
	unhook();
	// The timer's own thread woke this one when it fired: only a pending timer is cancelled.
	if (!timedOut) task.cancel(timer);
}
