import { Modding, OnStart, Service } from "@flamework/core";
import Signal from "@rbxts/signal";
import { IsolationConfig } from "shared/config/operations-config";
import { CriticalSystem, CriticalSystemMap, SystemName, SystemStatus } from "./critical-system";
import { SystemHealth, SystemHealthFigures } from "./system-health";

/** Flamework lifecycle hooks run under isolation. */
const HOOKS = ["onInit", "onStart", "onTick", "onPhysics"] as const;

type Method = (target: object, ...args: unknown[]) => unknown;

interface Entry {
	readonly system: CriticalSystem;
	readonly health: SystemHealth;
	last: SystemStatus;
	warnedAt: number;
	suppressed: number;
	own?: SystemStatus;
	polledAt: number;
}

/** Seconds between warnings about one system's errors. */
const WARN_INTERVAL = 5;

/** The outcome of guarded work: its value, or the error that was caught and counted. */
export type Guarded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** What a restart did. */
export interface RestartResult {
	readonly success: boolean;
	readonly system: string;
	readonly message: string;
	/** Virtual seconds the system was RESTARTING. */
	readonly seconds: number;
	readonly before?: SystemStatus;
	readonly after?: SystemStatus;
}

/**
 * Finds every critical system through Flamework (every singleton that implements
 * {@link CriticalSystem}) and runs them isolated from each other: an error in one system's
 * lifecycle hook, health check, report, restart or guarded event handler is caught, counted and
 * shown in its state, never in another system's.
 */
@Service()
export class SystemRegistry implements OnStart {
	/** Every system by its spec name, e.g. `systems.memoryManager`. */
	readonly systems = {} as CriticalSystemMap;
	/** Fires when a system's state changes (seen by a health check, an error or a restart). */
	readonly stateChanged = new Signal<(name: string, status: SystemStatus, previous: SystemStatus) => void>();

	private readonly entries = new Map<string, Entry>();
	private readonly order: string[] = [];
	private restarting = 0;

	constructor() {
		Modding.onListenerAdded<CriticalSystem>((system) => this.register(system));
	}

	onStart() {
		task.spawn(() => {
			for (;;) {
				task.wait(IsolationConfig.healthCheckSeconds);
				this.checkAll();
			}
		});
	}

	names(): readonly string[] {
		return this.order;
	}

	has(name: string): boolean {
		return this.entries.has(name);
	}

	/** The system's state with its reason: its own status combined with errors and restarts. */
	statusOf(name: string): SystemStatus {
		const entry = this.entries.get(name);
		assert(entry !== undefined, `no critical system named ${name}`);
		return this.refresh(name, entry);
	}

	/** Every system's status, in discovery order. */
	statuses(): Map<string, SystemStatus> {
		const result = new Map<string, SystemStatus>();
		for (const name of this.order) result.set(name, this.statusOf(name));
		return result;
	}

	healthFigures(name: string): SystemHealthFigures | undefined {
		return this.entries.get(name)?.health.figures(time());
	}

	/** Whether any system is restarting now (kept as a count: every placement asks). */
	anyRestarting(): boolean {
		return this.restarting > 0;
	}

	isRestarting(name: string): boolean {
		return this.entries.get(name)?.health.isRestarting() ?? false;
	}

	/** The system's report, or undefined when producing it failed (the error is counted). */
	reportOf(name: string): object | undefined {
		const entry = this.entries.get(name);
		if (entry === undefined) return undefined;
		const result = this.guard(name, "report", () => entry.system.report());
		return result.ok ? result.value : undefined;
	}

	/**
	 * Runs `fn` as part of system `name`: an error is caught, counted against the system and
	 * warned, and returned instead of raised.
	 */
	guard<T>(name: string, where: string, fn: () => T): Guarded<T> {
		const [ok, value] = pcall(fn);
		if (ok) return { ok: true, value: value as T };
		const message = tostring(value);
		this.recordError(name, where, message);
		return { ok: false, error: message };
	}

	/** Connects `handler` to `signal` as an event handler of system `name`, under isolation. */
	connect<A extends unknown[], C>(name: string, signal: { Connect(fn: (...args: A) => void): C }, where: string, handler: (...args: A) => void): C {
		return signal.Connect((...args: A) => {
			this.guard(name, where, () => handler(...args));
		});
	}

	/**
	 * Restarts a system: it is RESTARTING (requests that need it are refused meanwhile) until its
	 * restart() has rebuilt it from authoritative state; a successful restart clears its errors.
	 */
	restart(name: string): RestartResult {
		const entry = this.entries.get(name);
		if (entry === undefined) return { success: false, system: name, message: `no critical system named ${name}`, seconds: 0 };
		if (entry.health.isRestarting()) return { success: false, system: name, message: `${name} is already restarting`, seconds: 0 };
		const before = this.refresh(name, entry);
		const started = time();
		entry.health.beginRestart();
		this.restarting += 1;
		this.refresh(name, entry);
		// Requests already past the restart check finish first: the rebuild starts on the next frame.
		task.wait();
		const [ok, problem] = pcall(() => entry.system.restart());
		if (!ok) this.recordError(name, "restart", tostring(problem));
		entry.health.endRestart(ok);
		this.restarting -= 1;
		entry.polledAt = -1;
		const after = this.refresh(name, entry);
		const seconds = time() - started;
		const message = ok ? `${name} restarted in ${string.format("%.2f", seconds)} s` : `${name} failed to restart: ${problem}`;
		if (ok) print(`🔄 ${message}`);
		else warn(`🔄 ${message}`);
		return { success: ok, system: name, message, seconds, before, after };
	}

	private register(system: CriticalSystem) {
		const name = system.systemName;
		assert(!this.entries.has(name), `two critical systems are named ${name}`);
		const entry: Entry = {
			system,
			health: new SystemHealth(IsolationConfig),
			last: { state: "OPERATIONAL", reason: "starting" },
			warnedAt: -math.huge,
			suppressed: 0,
			polledAt: -1,
		};
		this.entries.set(name, entry);
		this.order.push(name);
		(this.systems as unknown as Record<string, CriticalSystem>)[name] = system;
		this.isolateHooks(name, system);
		for (const other of system.isolates ?? []) this.isolateHooks(name, other);
	}

	/**
	 * Replaces the instance's lifecycle hooks with guarded ones. The class's method is looked up
	 * at each call, so the hook stays the class's own code.
	 */
	private isolateHooks(name: string, instance: object) {
		const metatable = getmetatable(instance) as { __index?: Record<string, Method | undefined> } | undefined;
		const klass = metatable?.__index;
		if (klass === undefined) return;
		for (const hook of HOOKS) {
			if (klass[hook] === undefined || rawget(instance, hook) !== undefined) continue;
			// Two fixed parameters (onPhysics has the most) instead of a rest parameter and a closure:
			// ticks run every frame, and this way running one under isolation allocates nothing.
			rawset(instance, hook, (target: object, first?: unknown, second?: unknown) => {
				const method = klass[hook];
				if (method === undefined) return;
				const [ok, problem] = pcall(method, target, first, second);
				if (!ok) this.recordError(name, hook, tostring(problem));
			});
		}
	}

	private recordError(name: string, where: string, message: string) {
		const entry = this.entries.get(name);
		if (entry === undefined) return;
		this.noteError(name, entry, where, message);
		this.refresh(name, entry);
	}

	private noteError(name: string, entry: Entry, where: string, message: string) {
		entry.health.recordError(time(), where, message);
		// A fault that repeats every frame is warned about once per interval, not 60 times a second.
		entry.suppressed += 1;
		if (time() - entry.warnedAt >= WARN_INTERVAL) {
			const more = entry.suppressed > 1 ? ` (${entry.suppressed - 1} more since the last warning)` : "";
			warn(`⚠️ ${name} error in ${where} (isolated): ${message}${more}`);
			entry.warnedAt = time();
			entry.suppressed = 0;
		}
	}

	private checkAll() {
		for (const name of this.order) this.refresh(name, this.entries.get(name)!);
	}

	/** Computes the current status and announces a change. */
	private refresh(name: string, entry: Entry): SystemStatus {
		let own: SystemStatus;
		if (entry.health.isRestarting()) own = { state: "OPERATIONAL", reason: "restarting" };
		else if (entry.polledAt === time() && entry.own !== undefined) own = entry.own;
		else {
			const [ok, value] = pcall(() => entry.system.status());
			if (ok) own = value;
			else {
				const message = tostring(value);
				this.noteError(name, entry, "status", message);
				own = { state: "DEGRADED", reason: `its health check failed: ${message}` };
			}
			// One health check per frame however many callers ask, so a failing check counts once.
			entry.own = own;
			entry.polledAt = time();
		}
		const status = entry.health.combine(own, time());
		const previous = entry.last;
		entry.last = status;
		if (previous.state !== status.state) this.stateChanged.Fire(name, status, previous);
		return status;
	}
}

export type { SystemName };
