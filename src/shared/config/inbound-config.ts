import { PlacementConfig } from "./placement-config";

/** A per-player token bucket: `perSecond` calls sustained, `burst` at once. */
export interface CallBudget {
	readonly perSecond: number;
	readonly burst: number;
}

/**
 * What the inbound gate lets each player send. Every client→server remote has a call budget:
 * its own entry in `remotes`, or `defaultRemote` for remotes not listed (so a new remote is
 * limited from the day it is added).
 */
export const InboundConfig = {
	remotes: {
		placeObject: { perSecond: PlacementConfig.requestsPerSecond, burst: PlacementConfig.requestBurst },
		removeObject: { perSecond: PlacementConfig.requestsPerSecond, burst: PlacementConfig.requestBurst },
		// The client probes every 5 s; a few spare for reconnects and explicit probes.
		ping: { perSecond: 1, burst: 5 },
		// A client asks again for a chunk only when its deltas arrive out of order.
		streamResync: { perSecond: 1, burst: 4 },
		// Only a flood guard: AdminService applies (and audits) the admin rate limit itself.
		adminCommand: { perSecond: 5, burst: 40 },
	} as Readonly<Record<string, CallBudget>>,
	defaultRemote: { perSecond: 4, burst: 8 } as CallBudget,
	/** Largest encoded size of one call's arguments, in bytes (a placement is about 40). */
	maxCallBytes: 4_096,
	/** Deepest table nesting one call may carry. */
	maxTableDepth: 8,
	/** Inbound bytes per player across every remote: sustained per second, and burst. */
	bytesPerSecond: 16_384,
	byteBurst: 65_536,
	/** Escalation: counted in windows of `windowSeconds`. */
	escalation: {
		windowSeconds: 60,
		/** Malformed calls, calls to server→client remotes and byte-budget overruns. */
		strikesToKick: 40,
		/** Calls refused by a call budget (a flood, well past what any client sends). */
		rateLimitedToKick: 1_500,
		/** A player the gate removed who joins this server again within this long is removed again at once. */
		rejoinBlockSeconds: 600,
	},
	/**
	 * A player who left keeps their state here (strikes, buckets, counters for reports) so that
	 * rejoining resets nothing; dropped this long after they left, or oldest first past `maxDeparted`.
	 */
	departedKeepSeconds: 3_600,
	maxDeparted: 2_000,
} as const;
