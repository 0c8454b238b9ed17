import { AdminCommand, AdminStanding, FleetAnswer } from "shared/admin/admin-types";

/** What travels on the fleet topic: a command for every server, and answers. */
export type FleetMessage =
	| {
			readonly kind: "command";
			readonly id: string;
			readonly origin: string;
			readonly callerId: number;
			readonly callerName: string;
			readonly callerRole: AdminStanding;
			readonly command: AdminCommand;
	  }
	| { readonly kind: "answer"; readonly id: string; readonly jobId: string; readonly ok: boolean; readonly summary: string };

/** Longest per-server summary carried back (MessagingService messages are 1 kB at most). */
export const SUMMARY_LIMIT = 200;

/**
 * The answers to one command sent to every server: who was expected (the fleet view's live servers),
 * who answered, and the table the caller gets once everyone answered or the window closed.
 */
export class FleetCollection {
	private readonly answers = new Map<string, FleetAnswer>();

	constructor(
		readonly commandId: string,
		private readonly expected: ReadonlySet<string>,
	) {}

	answer(jobId: string, ok: boolean, summary: string) {
		if (this.answers.has(jobId)) return;
		this.answers.set(jobId, { jobId, status: ok ? "done" : "failed", summary });
	}

	complete(): boolean {
		for (const jobId of this.expected) if (!this.answers.has(jobId)) return false;
		return true;
	}

	/** Every answer, then every expected server that stayed silent, each sorted by job id. */
	table(): FleetAnswer[] {
		const answered: FleetAnswer[] = [];
		for (const [, answer] of this.answers) answered.push(answer);
		table.sort(answered, (a, b) => a.jobId < b.jobId);
		const silent: FleetAnswer[] = [];
		for (const jobId of this.expected) {
			if (!this.answers.has(jobId)) silent.push({ jobId, status: "noAnswer", summary: "did not answer in time" });
		}
		table.sort(silent, (a, b) => a.jobId < b.jobId);
		return [...answered, ...silent];
	}
}

/** Command ids already run, forgotten after `ttl` seconds, so a duplicate delivery runs nothing. */
export class SeenCommands {
	private readonly seen = new Map<string, number>();

	constructor(private readonly ttl: number) {}

	/** True the first time `id` is offered within the ttl. */
	firstTime(id: string, now: number): boolean {
		for (const [known, at] of this.seen) if (now - at > this.ttl) this.seen.delete(known);
		if (this.seen.has(id)) return false;
		this.seen.set(id, now);
		return true;
	}
}
