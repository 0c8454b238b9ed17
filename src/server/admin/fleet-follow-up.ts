import { FleetAnswer } from "shared/admin/admin-types";
import { FleetCollection } from "./fleet-messages";

/** Takes one server's final answer that came after the caller's table listed that server under way. */
export type LateAnswer = (answer: FleetAnswer, commandId: string) => void;

/**
 * After the caller's window closed: hands the final answer of each server the table listed under
 * way to `late`, once, as it arrives, until all of them answered or `seconds` passed; then calls
 * `done`. Servers that were silent when the window closed are not followed: their row said so.
 */
export function followUnderWay(collection: FleetCollection, seconds: number, late: LateAnswer, done: () => void) {
	const pending = collection.underWayServers();
	if (pending.isEmpty()) return done();
	let ended = false;
	let stop = () => {};
	const finish = () => {
		if (ended) return;
		ended = true;
		stop();
		done();
	};
	stop = collection.onAnswer((answer) => {
		if (answer.status === "underWay" || !pending.delete(answer.jobId)) return;
		// Its own thread: whatever `late` does cannot break the delivery of other answers.
		task.spawn(late, answer, collection.commandId);
		if (pending.isEmpty()) finish();
	});
	task.delay(seconds, finish);
}
