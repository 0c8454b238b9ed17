import { TokenBucket } from "server/rate-limit/token-bucket";
import { InboundConfig } from "shared/config/inbound-config";
import {
	emptyCounters,
	Escalation,
	GatedRemote,
	InboundCounters,
	InboundRefusal,
	InboundReport,
	InboundVerdict,
	MalformedKind,
	PlayerInboundReport,
} from "./inbound-types";
import { payloadSize, TOO_DEEP } from "./payload-size";

type Limits = typeof InboundConfig;
type CounterName = keyof InboundCounters;

interface SenderState {
	readonly calls: Map<string, TokenBucket>;
	readonly bytes: TokenBucket;
	readonly counters: InboundCounters;
	readonly byRemote: Map<string, InboundCounters>;
	windowStart: number;
	strikes: number;
	rateLimited: number;
	blocked: boolean;
	/** Why and when the gate removed the sender (they stay blocked until `admit` lets them back). */
	escalation?: Escalation;
	escalatedAt: number;
	/** When the sender left (0 while present): the departed list drops them in this order. */
	departedAt: number;
	/** The key (the Player) it was kept under last: a late call of that key after it left revives nothing. */
	key: unknown;
}

/**
 * The inbound gate: the first thing every client call meets. Per sender it keeps a token
 * bucket per remote and one for bytes; it checks arity, size and argument types against the
 * contract; it counts every refusal per remote and per sender; and it escalates a sender who
 * keeps sending garbage or floods (once, through `onEscalate`). Engine-free: the sender key,
 * its user id and the clock come from the caller.
 */
export class InboundGate<K> {
	private readonly senders = new Map<K, SenderState>();
	/**
	 * Senders who left, by user id: a rejoin carries on with their state, and reports outlive
	 * sessions. Bounded (see departedKeepSeconds); `departures` holds them in the order they left.
	 */
	private readonly departed = new Map<number, SenderState>();
	private readonly departures: { userId: number; at: number }[] = [];
	private departuresHead = 0;
	private readonly byRemote = new Map<string, InboundCounters>();
	private readonly total = emptyCounters();
	/** Called once per sender when they cross an escalation threshold. */
	onEscalate?: (key: K, escalation: Escalation) => void;
	private readonly refusedListeners: ((key: K, refusal: InboundRefusal) => void)[] = [];

	constructor(
		private readonly idOf: (key: K) => number,
		private readonly limits: Limits = InboundConfig,
	) {}

	/**
	 * Calls `listener` for every refused call, with what it was and why (Flamework's own
	 * onBadRequest never fires: its guards run inside the gate). Returns a function that stops it.
	 */
	onRefused(listener: (key: K, refusal: InboundRefusal) => void): () => void {
		this.refusedListeners.push(listener);
		return () => {
			const index = this.refusedListeners.indexOf(listener);
			if (index >= 0) this.refusedListeners.remove(index);
		};
	}

	/** Decides one call: `args` holds `count` arguments (trailing nils included). */
	check(key: K, remote: GatedRemote, args: readonly unknown[], count: number, now: number): InboundVerdict {
		const sender = this.senderOf(key, now);
		if (sender.blocked) return this.refuse(key, sender, remote.name, "blocked", now);
		let bucket = sender.calls.get(remote.name);
		if (bucket === undefined) {
			bucket = new TokenBucket(remote.budget.burst, remote.budget.perSecond);
			sender.calls.set(remote.name, bucket);
		}
		if (!bucket.tryTake(now)) return this.refuse(key, sender, remote.name, "rateLimited", now);
		const checks = remote.checks;
		if (count > checks.size() && remote.restCheck === undefined) {
			return this.refuse(key, sender, remote.name, "malformed", now, "arity");
		}
		const size = payloadSize(args, count, this.limits.maxCallBytes, this.limits.maxTableDepth);
		if (size === TOO_DEEP) return this.refuse(key, sender, remote.name, "malformed", now, "depth");
		if (size > this.limits.maxCallBytes) return this.refuse(key, sender, remote.name, "malformed", now, "size");
		if (!sender.bytes.tryTake(now, size)) return this.refuse(key, sender, remote.name, "overBudget", now);
		for (let index = 0; index < count; index++) {
			const check = index < checks.size() ? checks[index] : remote.restCheck!;
			if (!check(args[index])) return this.refuse(key, sender, remote.name, "malformed", now, "type", index, args[index]);
		}
		// Missing arguments: a check for an absent slot sees nil.
		for (let index = count; index < checks.size(); index++) {
			if (!checks[index](undefined)) return this.refuse(key, sender, remote.name, "malformed", now, "arity");
		}
		this.count(sender, remote.name, "accepted");
		return "accepted";
	}

	/**
	 * A call that passed the gate but that its handler found malformed (a value no real client
	 * sends, e.g. a negative probe sequence): counted and a strike, like a guard failure.
	 */
	reportMalformed(key: K, remote: string, now: number) {
		const sender = this.senderOf(key, now);
		this.count(sender, remote, "accepted", -1);
		this.refuse(key, sender, remote, "malformed", now, "range");
	}

	/**
	 * The request id a function call carries ahead of its arguments, which the gate in the call's
	 * middleware never sees (Flamework's client sends a number, echoed back with the answer). Any
	 * other value is a strike, once the call was handled (and counted by its verdict there), so a
	 * client that keeps sending one is kicked.
	 */
	checkRequestId(key: K, remote: string, id: unknown, now: number) {
		if (typeIs(id, "number")) return;
		const sender = this.senderOf(key, now);
		if (!sender.blocked) this.strike(key, sender, now, `request id of ${remote} that is not a number`);
	}

	/** A call to a server→client remote: counted, a strike, nothing else. */
	sealedCall(key: K, remote: string, now: number) {
		const sender = this.senderOf(key, now);
		this.count(sender, remote, "sealed");
		if (!sender.blocked) this.strike(key, sender, now, `called server→client remote ${remote}`);
	}

	/**
	 * A player joined. Their state from an earlier session on this server carries on (rejoining
	 * resets no strike or bucket); one the gate removed less than `rejoinBlockSeconds` ago stays
	 * blocked and the escalation to remove them again is returned, otherwise they start unblocked.
	 */
	admit(key: K, now: number): Escalation | undefined {
		const sender = this.senderOf(key, now);
		if (!sender.blocked || sender.escalation === undefined) return undefined;
		const since = now - sender.escalatedAt;
		const block = this.limits.escalation.rejoinBlockSeconds;
		if (since < block) {
			return {
				rule: sender.escalation.rule,
				detail: `rejoined ${math.floor(since)} s after being removed (${sender.escalation.detail}); refused for ${block} s after a removal`,
			};
		}
		sender.blocked = false;
		sender.escalation = undefined;
		sender.windowStart = now;
		sender.strikes = 0;
		sender.rateLimited = 0;
		return undefined;
	}

	/** A sender left: their state is kept for a while (see departed), then dropped. */
	forget(key: K, now: number) {
		const sender = this.senders.get(key);
		if (sender === undefined) return;
		this.senders.delete(key);
		const userId = this.idOf(key);
		sender.departedAt = now;
		this.departed.set(userId, sender);
		this.departures.push({ userId, at: now });
		this.dropDeparted(now);
	}

	/** Starts a sender afresh, as if they had never called: no strikes, no block, full buckets. */
	reset(key: K) {
		this.senders.delete(key);
		this.departed.delete(this.idOf(key));
	}

	/** Departed senders kept, for reports and rejoins. */
	departedCount(): number {
		return this.departed.size();
	}

	private dropDeparted(now: number) {
		const departures = this.departures;
		const keepAfter = now - this.limits.departedKeepSeconds;
		while (this.departuresHead < departures.size()) {
			const oldest = departures[this.departuresHead];
			const sender = this.departed.get(oldest.userId);
			// Rejoined, or left again since: this record of the departure is stale.
			const current = sender !== undefined && sender.departedAt === oldest.at;
			if (current && oldest.at > keepAfter && this.departed.size() <= this.limits.maxDeparted) break;
			if (current) this.departed.delete(oldest.userId);
			this.departuresHead += 1;
		}
		// The list is compacted once its spent head outgrows what it still holds.
		if (this.departuresHead > 64 && this.departuresHead * 2 > departures.size()) {
			const kept = departures.size() - this.departuresHead;
			for (let index = 0; index < kept; index++) departures[index] = departures[this.departuresHead + index];
			for (let index = departures.size(); index > kept; index--) departures.pop();
			this.departuresHead = 0;
		}
	}

	report(): InboundReport {
		return { byRemote: this.byRemote, total: this.total };
	}

	/** One sender's counters (online or departed), by user id. */
	playerReport(userId: number): PlayerInboundReport | undefined {
		let found = this.departed.get(userId);
		for (const [key, sender] of this.senders) {
			if (this.idOf(key) === userId) found = sender;
		}
		if (found === undefined) return undefined;
		return { ...found.counters, userId, byRemote: found.byRemote };
	}

	private refuse(
		key: K,
		sender: SenderState,
		remote: string,
		verdict: InboundVerdict,
		now: number,
		kind?: MalformedKind,
		argIndex?: number,
		argValue?: unknown,
	) {
		this.count(sender, remote, verdict as CounterName);
		if (this.refusedListeners.size() > 0) {
			const refusal: InboundRefusal = { remote, verdict, kind, argIndex, argValue };
			for (const listener of this.refusedListeners) listener(key, refusal);
		}
		if (sender.blocked) return verdict;
		if (verdict === "rateLimited") {
			this.rollWindow(sender, now);
			sender.rateLimited += 1;
			if (sender.rateLimited >= this.limits.escalation.rateLimitedToKick) {
				this.escalate(key, sender, {
					rule: "flood",
					detail: `${sender.rateLimited} calls over the rate limit in ${this.limits.escalation.windowSeconds} s (last: ${remote})`,
				}, now);
			}
		} else {
			this.strike(key, sender, now, verdict === "overBudget" ? `inbound byte budget exceeded on ${remote}` : `malformed ${remote} (${kind})`);
		}
		return verdict;
	}

	private strike(key: K, sender: SenderState, now: number, last: string) {
		this.rollWindow(sender, now);
		sender.strikes += 1;
		if (sender.strikes >= this.limits.escalation.strikesToKick) {
			this.escalate(key, sender, {
				rule: "garbage",
				detail: `${sender.strikes} malformed or forbidden calls in ${this.limits.escalation.windowSeconds} s (last: ${last})`,
			}, now);
		}
	}

	private escalate(key: K, sender: SenderState, escalation: Escalation, now: number) {
		sender.blocked = true;
		sender.escalation = escalation;
		sender.escalatedAt = now;
		this.onEscalate?.(key, escalation);
	}

	private rollWindow(sender: SenderState, now: number) {
		if (now - sender.windowStart < this.limits.escalation.windowSeconds) return;
		sender.windowStart = now;
		sender.strikes = 0;
		sender.rateLimited = 0;
	}

	private count(sender: SenderState, remote: string, counter: CounterName, by = 1) {
		let perRemote = this.byRemote.get(remote);
		if (perRemote === undefined) {
			perRemote = emptyCounters();
			this.byRemote.set(remote, perRemote);
		}
		let senderRemote = sender.byRemote.get(remote);
		if (senderRemote === undefined) {
			senderRemote = emptyCounters();
			sender.byRemote.set(remote, senderRemote);
		}
		perRemote[counter] += by;
		senderRemote[counter] += by;
		sender.counters[counter] += by;
		this.total[counter] += by;
	}

	private senderOf(key: K, now: number): SenderState {
		let sender = this.senders.get(key);
		if (sender !== undefined) return sender;
		const userId = this.idOf(key);
		sender = this.departed.get(userId);
		if (sender !== undefined) {
			// A call of the Player who left, handled after they left: counted there, and they stay gone
			// (revived under that Player, the state would never be forgotten again, nor block a rejoin).
			if (sender.key === key) return sender;
			this.departed.delete(userId);
			sender.departedAt = 0;
			sender.key = key;
			this.senders.set(key, sender);
		} else {
			sender = {
				calls: new Map(),
				bytes: new TokenBucket(this.limits.byteBurst, this.limits.bytesPerSecond),
				counters: emptyCounters(),
				byRemote: new Map(),
				windowStart: now,
				strikes: 0,
				rateLimited: 0,
				blocked: false,
				escalatedAt: 0,
				departedAt: 0,
				key,
			};
			this.senders.set(key, sender);
		}
		return sender;
	}
}
