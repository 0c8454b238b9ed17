import { AdminCommand, AdminStanding, FleetAnswer } from "shared/admin/admin-types";
import { storableText } from "shared/text/utf8-text";

/** A command for every server, from the caller's server. */
export interface FleetCommandMessage {
	readonly kind: "command";
	readonly id: string;
	readonly origin: string;
	readonly callerId: number;
	readonly callerName: string;
	readonly callerRole: AdminStanding;
	readonly command: AdminCommand;
}

/** One server's final answer to a command: how its run ended. */
export interface FleetAnswerMessage {
	readonly kind: "answer";
	readonly id: string;
	readonly jobId: string;
	readonly ok: boolean;
	readonly summary: string;
}

/**
 * One server is still running a command shortly before the caller's window closes: what it is
 * doing. Its final answer follows. A kind of its own, so servers that do not know it ignore it.
 */
export interface FleetUnderWayMessage {
	readonly kind: "underWay";
	readonly id: string;
	readonly jobId: string;
	readonly summary: string;
}

/** What travels on the fleet topic: a command for every server, and answers. */
export type FleetMessage = FleetCommandMessage | FleetAnswerMessage | FleetUnderWayMessage;

/** Longest per-server summary carried back, in bytes (MessagingService messages are 1 kB at most). */
export const SUMMARY_LIMIT = 200;

/**
 * `text` as a summary carries it: valid UTF-8 (MessagingService takes nothing else) of at most
 * `limit` bytes, cut between characters (summaries carry admin text, such as an emergency's reason).
 */
export function cutSummary(text: string, limit = SUMMARY_LIMIT): string {
	return storableText(text, limit);
}

/**
 * What arrived on the fleet topic as a message this server can read, its summary cut to
 * SUMMARY_LIMIT; undefined for anything else (another version's kind, a malformed field), which is
 * dropped: nothing from the topic reaches a table unchecked.
 */
export function fleetMessageOf(data: unknown): FleetMessage | undefined {
	if (!typeIs(data, "table")) return undefined;
	const message = data as Record<string, unknown>;
	const id = message.id;
	if (!typeIs(id, "string")) return undefined;
	const kind = message.kind;
	if (kind === "command") {
		const { origin, callerId, callerName, callerRole, command } = message;
		if (!typeIs(origin, "string") || !typeIs(callerId, "number") || !typeIs(callerName, "string") || !typeIs(callerRole, "string")) return undefined;
		if (!typeIs(command, "table") || !typeIs((command as { name?: unknown }).name, "string")) return undefined;
		return data as FleetCommandMessage;
	}
	if (kind !== "answer" && kind !== "underWay") return undefined;
	const { jobId, summary } = message;
	if (!typeIs(jobId, "string") || !typeIs(summary, "string")) return undefined;
	if (kind === "underWay") return { kind, id, jobId, summary: cutSummary(summary) };
	const ok = message.ok;
	if (!typeIs(ok, "boolean")) return undefined;
	return { kind, id, jobId, ok, summary: cutSummary(summary) };
}

/**
 * The answers to one command sent to every server: who was expected (the fleet view's live servers),
 * who answered or is still under way, and the table the caller gets once everyone answered or the
 * window closed. Listeners hear every answer it records, also after the window (see fleet-follow-up).
 */
export class FleetCollection {
	private readonly answers = new Map<string, FleetAnswer>();
	private readonly listeners: ((answer: FleetAnswer) => void)[] = [];

	constructor(
		readonly commandId: string,
		private readonly expected: ReadonlySet<string>,
	) {}

	/** A server's final answer; it replaces that server's under-way answer, and a repeat is ignored. */
	answer(jobId: string, ok: boolean, summary: string) {
		const known = this.answers.get(jobId);
		if (known !== undefined && known.status !== "underWay") return;
		this.record({ jobId, status: ok ? "done" : "failed", summary });
	}

	/** A server still running the command; ignored once that server answered. */
	underWay(jobId: string, summary: string) {
		if (this.answers.has(jobId)) return;
		this.record({ jobId, status: "underWay", summary });
	}

	/** Calls `listener` with every answer recorded from now on; returns a function that stops it. */
	onAnswer(listener: (answer: FleetAnswer) => void): () => void {
		this.listeners.push(listener);
		return () => {
			const index = this.listeners.indexOf(listener);
			if (index >= 0) this.listeners.remove(index);
		};
	}

	/** True once every expected server gave its final answer. */
	complete(): boolean {
		for (const jobId of this.expected) {
			const known = this.answers.get(jobId);
			if (known === undefined || known.status === "underWay") return false;
		}
		return true;
	}

	/** The servers whose latest answer is that they are still under way. */
	underWayServers(): Set<string> {
		const running = new Set<string>();
		for (const [jobId, answer] of this.answers) if (answer.status === "underWay") running.add(jobId);
		return running;
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

	private record(answer: FleetAnswer) {
		this.answers.set(answer.jobId, answer);
		for (const listener of [...this.listeners]) listener(answer);
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
