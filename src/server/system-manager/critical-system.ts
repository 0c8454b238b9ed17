/** A critical system's own state. */
export type SystemState = "OPERATIONAL" | "DEGRADED" | "FAILED" | "RESTARTING";

/** The server's state: the worst of its systems', or EMERGENCY while emergency mode is on. */
export type OverallState = SystemState | "EMERGENCY";

/** A state with the reason for it in words. */
export interface SystemStatus {
	readonly state: SystemState;
	readonly reason: string;
}

/**
 * The contract every critical system implements. SystemManager finds implementations through
 * Flamework (any `@Service()` that `implements CriticalSystem`), so adding a system is adding a
 * class; it also adds itself to {@link CriticalSystemMap} (declaration merging) so
 * `systems.<name>` is typed.
 */
export interface CriticalSystem {
	/** The spec's name, e.g. "memoryManager"; a key of {@link CriticalSystemMap}. */
	readonly systemName: string;
	/** The system's own view of its health (SystemManager adds errors and restarts on top). */
	status(): SystemStatus;
	/** A typed, JSON-safe, size-bounded report. */
	report(): object;
	/**
	 * Rebuilds the system from authoritative state without losing tracked data. May yield;
	 * requests that need the system are answered SystemRestarting meanwhile.
	 */
	restart(): void;
	/** Instances whose Flamework hooks (onInit, onStart, onTick, onPhysics) are isolated with this system. */
	readonly isolates?: readonly object[];
	/** Placements and removals are refused with SystemRestarting while this system restarts. */
	readonly servesPlacements?: boolean;
}

/** Every critical system by name; each system's file adds its own entry. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface CriticalSystemMap {}

export type SystemName = keyof CriticalSystemMap & string;

/** The typed report of each system. */
export type SystemReports = {
	readonly [K in SystemName]: CriticalSystemMap[K] extends { report(): infer R } ? R : never;
};

export const STATE_SEVERITY: Record<SystemState, number> = { OPERATIONAL: 0, DEGRADED: 1, RESTARTING: 2, FAILED: 3 };

/** The worst of some states (OPERATIONAL when there are none). */
export function worstOf(states: readonly SystemState[]): SystemState {
	let worst: SystemState = "OPERATIONAL";
	for (const state of states) if (STATE_SEVERITY[state] > STATE_SEVERITY[worst]) worst = state;
	return worst;
}
