import type { CallBudget } from "shared/config/inbound-config";

/** A type check generated from the networking contract (Flamework's guards). */
export type ArgumentCheck = (value: unknown) => boolean;

/** One client→server remote as the gate sees it, derived from the networking contract. */
export interface GatedRemote {
	/** The contract's name, with its namespace prefix ("admin/kick"). */
	readonly name: string;
	readonly kind: "Event" | "Function";
	/** One check per parameter, in order. */
	readonly checks: readonly ArgumentCheck[];
	/** The check for a rest parameter; without one, extra arguments are malformed. */
	readonly restCheck?: ArgumentCheck;
	readonly budget: CallBudget;
}

/** What the gate decided about one call. */
export type InboundVerdict = "accepted" | "rateLimited" | "overBudget" | "malformed" | "blocked";

/** Why a call was malformed, for counters and the moderation log. */
export type MalformedKind = "arity" | "type" | "size" | "depth" | "range";

/** One refused call, as listeners of the gate see it. */
export interface InboundRefusal {
	readonly remote: string;
	readonly verdict: InboundVerdict;
	/** Why a malformed call was malformed. */
	readonly kind?: MalformedKind;
	/** For a type failure: the argument's position (from 0) and the value that failed its check. */
	readonly argIndex?: number;
	readonly argValue?: unknown;
}

/** Counters for one remote (or one player across remotes). */
export interface InboundCounters {
	accepted: number;
	rateLimited: number;
	overBudget: number;
	malformed: number;
	/** Calls to a server→client remote. */
	sealed: number;
	/** Calls dropped because the player was already being removed. */
	blocked: number;
}

export interface PlayerInboundReport extends InboundCounters {
	readonly userId: number;
	readonly byRemote: ReadonlyMap<string, InboundCounters>;
}

/** Everything the gate counted since the server started. */
export interface InboundReport {
	readonly byRemote: ReadonlyMap<string, InboundCounters>;
	readonly total: InboundCounters;
}

/** Why a player is being removed. */
export interface Escalation {
	readonly rule: "garbage" | "flood";
	readonly detail: string;
}

export function emptyCounters(): InboundCounters {
	return { accepted: 0, rateLimited: 0, overBudget: 0, malformed: 0, sealed: 0, blocked: 0 };
}
