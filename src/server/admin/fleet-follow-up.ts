import { FleetAnswer } from "shared/admin/admin-types";
import { FleetCollection } from "./fleet-messages";

/** Takes one server's final answer that came after the caller's table listed that server under way. */
export type LateAnswer = (answer: FleetAnswer, commandId: string) => void;

/** The row of a server that was under way and gave no final answer while it was followed. */
export function unansweredRow(jobId: string, seconds: number): FleetAnswer {
	return { jobId, status: "noAnswer", summary: `no final answer within ${seconds} s` };
}

/**
 * After the caller's window closed: hands the final answer of each server the table listed under
 * way to `late`, once, as it arrives, until all of them answered or `seconds` passed; then calls
 * `done`. A server still under way when the time is up (it crashed, is still running, or its answer
 * was lost) is handed on as `noAnswer` (see unansweredRow), so every under-way row ends. Servers
 * that were silent when the window closed are not followed: their row said so.
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
	// Its own thread for each: whatever `late` does cannot break the delivery of other answers.
	stop = collection.onAnswer((answer) => {
		if (answer.status === "underWay" || !pending.delete(answer.jobId)) return;
		task.spawn(late, answer, collection.commandId);
		if (pending.isEmpty()) finish();
	});
	task.delay(seconds, () => {
		if (ended) return;
		const unanswered = [...pending];
		table.sort(unanswered);
		for (const jobId of unanswered) task.spawn(late, unansweredRow(jobId, seconds), collection.commandId);
		finish();
	});
}
