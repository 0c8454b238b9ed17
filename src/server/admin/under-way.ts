import { AdminCommand, AdminCommandOutcome, AdminRefusal, AdminResponse, FleetAnswer } from "shared/admin/admin-types";
import { CommandKey } from "./command-lanes";

/** Who started a command, as later callers are told. */
export interface Starter {
	readonly name: string;
}

/** One command running on this server, from its start until its outcome. */
export interface Ticket<P extends defined> {
	readonly id: number;
	readonly key: CommandKey;
	readonly command: AdminCommand;
	readonly args: string;
	readonly startedBy: Starter;
	/** Clock seconds (the caller's clock). */
	readonly startedAt: number;
	response?: AdminResponse;
	finishedAt?: number;
	/**
	 * Set when its lane let go of it after this many seconds without an outcome (see `letGo`): its
	 * `response` then says so, and whatever its work returns later is only a note in the audit.
	 */
	stuckAfter?: number;
	/** Callers answered "under way": each is owed the outcome once. */
	readonly owed: P[];
	/** Callers who joined it (a repeat while it ran): they got its answer too, so they are sent what follows it. */
	readonly joined: P[];
	readonly listeners: (() => void)[];
}

/** What a new call meets: its own new ticket, the same command already under way, or another command in its lane. */
export type Claim<P extends defined> =
	| { readonly kind: "started"; readonly ticket: Ticket<P> }
	| { readonly kind: "joined"; readonly ticket: Ticket<P> }
	| { readonly kind: "busy"; readonly ticket: Ticket<P> };

/**
 * The commands under way on this server, one per lane (see command-lanes): a call whose lane is
 * free starts a ticket; a repeat of the command in its lane joins that ticket (nothing runs
 * twice); any other command of that lane is turned away. Engine-free: `P` is whoever is owed
 * an outcome, the clock comes from the caller.
 */
export class UnderWayCommands<P extends defined> {
	private nextId = 0;
	private readonly byLane = new Map<string, Ticket<P>>();

	claim(key: CommandKey, command: AdminCommand, args: string, startedBy: Starter, now: number): Claim<P> {
		const running = this.byLane.get(key.lane);
		if (running !== undefined) return { kind: running.key.identity === key.identity ? "joined" : "busy", ticket: running };
		this.nextId += 1;
		const ticket: Ticket<P> = { id: this.nextId, key, command, args, startedBy, startedAt: now, owed: [], joined: [], listeners: [] };
		this.byLane.set(key.lane, ticket);
		return { kind: "started", ticket };
	}

	/** Records that `who` was answered "under way" and is owed the outcome (once). */
	owe(ticket: Ticket<P>, who: P) {
		if (ticket.response === undefined && !ticket.owed.includes(who)) ticket.owed.push(who);
	}

	/** Records that `who` joined the ticket (a repeat while it was under way); once each. */
	join(ticket: Ticket<P>, who: P) {
		if (ticket.response === undefined && !ticket.joined.includes(who)) ticket.joined.push(who);
	}

	/** Everyone who gets the ticket's answer: `starter` first, then whoever joined, each once. */
	answeredOf(ticket: Ticket<P>, starter: P): P[] {
		const everyone = [starter];
		for (const who of ticket.joined) if (!everyone.includes(who)) everyone.push(who);
		return everyone;
	}

	/** Calls `listener` once when the ticket finishes; returns a function that stops it. */
	onFinished(ticket: Ticket<P>, listener: () => void): () => void {
		ticket.listeners.push(listener);
		return () => {
			const index = ticket.listeners.indexOf(listener);
			if (index >= 0) ticket.listeners.remove(index);
		};
	}

	/** The ticket's outcome: its lane is free again. Returns who is owed the outcome. */
	finish(ticket: Ticket<P>, response: AdminResponse, now: number): readonly P[] {
		if (ticket.response !== undefined) return [];
		ticket.response = response;
		ticket.finishedAt = now;
		if (this.byLane.get(ticket.key.lane) === ticket) this.byLane.delete(ticket.key.lane);
		for (const listener of [...ticket.listeners]) listener();
		ticket.listeners.clear();
		return ticket.owed;
	}

	/**
	 * The ticket gave no outcome within `seconds`: it is finished with `stuckResponse` (listeners
	 * told, the lane free for other commands) and marked `stuckAfter`. Its work may still return;
	 * finishing it then changes nothing and frees no lane (the lane may hold another ticket by then).
	 * Returns who is owed that outcome (nobody when it already had one).
	 */
	letGo(ticket: Ticket<P>, seconds: number, now: number): readonly P[] {
		if (ticket.response !== undefined) return [];
		ticket.stuckAfter = seconds;
		return this.finish(ticket, stuckResponse(seconds), now);
	}

	/** Commands under way now, oldest first. */
	running(): Ticket<P>[] {
		const tickets: Ticket<P>[] = [];
		for (const [, ticket] of this.byLane) tickets.push(ticket);
		tickets.sort((a, b) => a.id < b.id);
		return tickets;
	}
}

/** Whole seconds from `from` to `to`. */
export function secondsBetween(from: number, to: number): number {
	return math.floor(to - from + 0.5);
}

/** The answer to a caller whose command (theirs, or the same one they joined) is still under way. */
export function underWayReply<P extends defined>(ticket: Ticket<P>, progress: string, joined: boolean, now: number): AdminResponse {
	return {
		ok: true,
		name: "underWay",
		result: {
			ticket: ticket.id,
			command: ticket.command.name,
			args: ticket.args,
			progress,
			seconds: secondsBetween(ticket.startedAt, now),
			joined,
			startedBy: ticket.startedBy.name,
		},
	};
}

/** Why a command meeting another one's lane was not run. */
export function busyMessage<P extends defined>(ticket: Ticket<P>, now: number): string {
	const age = secondsBetween(ticket.startedAt, now);
	return `${ticket.key.identity} (started by ${ticket.startedBy.name} ${age} s ago) is still under way; try again once it has finished`;
}

/** The outcome of a command its lane let go of after `seconds` without one (see `letGo`). */
export function stuckResponse(seconds: number): AdminResponse {
	return {
		ok: false,
		refusal: AdminRefusal.NoAnswer,
		message: `no outcome within ${seconds} s; other commands like it may run again, and it may still complete (its result will be in audit)`,
	};
}

/** The audit's note of what a command's work returned after its lane let go of it (see `letGo`). */
export function lateNote<P extends defined>(ticket: Ticket<P>, outcome: string, now: number): string {
	return `late, after ${secondsBetween(ticket.startedAt, now)} s (its lane let go of it after ${ticket.stuckAfter ?? "?"} s): ${outcome}`;
}

/** The outcome owed to callers answered "under way", once the ticket finished. */
export function outcomeOf<P extends defined>(ticket: Ticket<P>, response: AdminResponse): AdminCommandOutcome {
	return {
		ticket: ticket.id,
		command: ticket.command.name,
		args: ticket.args,
		seconds: secondsBetween(ticket.startedAt, ticket.finishedAt ?? ticket.startedAt),
		response,
	};
}

/**
 * The final answer of one server to a ticket's command sent to every server, which the table
 * listed under way: that server's row alone, with the seconds since the command started.
 */
export function lateOutcomeOf<P extends defined>(ticket: Ticket<P>, commandId: string, answer: FleetAnswer, now: number): AdminCommandOutcome {
	return {
		ticket: ticket.id,
		command: ticket.command.name,
		args: ticket.args,
		seconds: secondsBetween(ticket.startedAt, now),
		response: { ok: true, name: "fleetCommand", result: { commandId, servers: [answer] } },
		server: answer.jobId,
	};
}
