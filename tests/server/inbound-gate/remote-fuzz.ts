import type { ContractRemote, SealedRemote } from "server/inbound-gate/gated-server";

/** A remote as a hostile client reaches it: its replica on that client. */
export interface FuzzTarget {
	readonly name: string;
	/** Functions travel as a RemoteEvent whose first argument is a request id. */
	readonly kind: "Event" | "Function" | "Sealed";
	readonly contract?: ContractRemote;
	readonly sealed?: SealedRemote;
}

/** What a fuzz step sent, for the failure message of a seed. */
export interface FuzzCall {
	readonly target: string;
	readonly shape: string;
	readonly args: unknown[];
	/** How many arguments, nils included. */
	readonly count: number;
}

/** The values a hostile client has at hand; generators pick from them by what each slot's check says. */
export interface ValuePool {
	/** `NIL` stands for nil, which a Lua array cannot hold. */
	readonly values: readonly defined[];
	readonly labels: readonly string[];
}

/** Stands for a nil argument in pools and calls. */
export const NIL = { nil: true } as const;

function valueOf(entry: defined): unknown {
	return entry === NIL ? undefined : entry;
}

function deepTable(depth: number): object {
	let nested: object = { leaf: true };
	for (let level = 0; level < depth; level++) nested = { inner: nested };
	return nested;
}

function wideTable(width: number): number[] {
	const wide: number[] = [];
	for (let index = 0; index < width; index++) wide.push(index);
	return wide;
}

/**
 * Every kind of value the issue lists: wrong types, NaN, ±inf, -0, 1e308, huge and invalid UTF-8
 * strings, deep and wide tables, tables posing as Vector3 and Instance, Instances the sender
 * must not use and other players' ids; plus plausible valid values (catalog ids, positions on a
 * plot, rotation steps) so valid calls can be made from the same pool.
 */
export function buildPool(random: Random, items: readonly string[], foreignInstances: readonly Instance[], foreignIds: readonly string[]): ValuePool {
	const values: defined[] = [];
	const labels: string[] = [];
	const add = (label: string, value: unknown) => {
		labels.push(label);
		values.push(value === undefined ? NIL : (value as defined));
	};
	for (const item of items) add(`item ${item}`, item);
	for (let index = 0; index < 6; index++) {
		add("plot position", new Vector3(random.NextInteger(2, 94), 0, random.NextInteger(2, 94)));
	}
	for (const rotation of [0, 90, 180, 270]) add(`rotation ${rotation}`, rotation);
	add("integer", random.NextInteger(0, 1000));
	add("NaN", 0 / 0);
	add("inf", math.huge);
	add("-inf", -math.huge);
	add("-0", -0);
	add("1e308", 1e308);
	add("fraction", 0.5);
	add("NaN Vector3", new Vector3(0 / 0, 0, 0));
	add("inf Vector3", new Vector3(math.huge, -math.huge, 0));
	add("1e308 Vector3", new Vector3(1e308, 0, 1e308));
	add("empty string", "");
	add("huge string", string.rep("x", 200_000));
	add("invalid UTF-8", "\xFF\xFE\xC0\x80");
	add("true", true);
	add("nil", undefined);
	add("deep table", deepTable(40));
	add("wide table", wideTable(20_000));
	add("table as Vector3", { X: 1, Y: 2, Z: 3 });
	add("table as Instance", { ClassName: "Player", UserId: 1, Name: "Someone" });
	add("Vector2", new Vector2(1, 2));
	add("CFrame", new CFrame(1, 2, 3));
	for (const instance of foreignInstances) add(`instance ${instance.ClassName}`, instance);
	for (const id of foreignIds) add("another player's placement id", id);
	return { values, labels };
}

/** Indexes of pool values that pass (or fail) a check. */
export function partition(pool: ValuePool, check: (value: unknown) => boolean) {
	const passing: number[] = [];
	const failing: number[] = [];
	pool.values.forEach((value, index) => (check(valueOf(value)) ? passing : failing).push(index));
	return { passing, failing };
}

function pick<T>(random: Random, list: readonly T[]): T {
	return list[random.NextInteger(0, list.size() - 1)];
}

/** A pool index from the wanted side of a slot, or the other side when the pool has none there. */
function pickSlot(random: Random, slot: { passing: number[]; failing: number[] }, pass: boolean): number {
	const wanted = pass ? slot.passing : slot.failing;
	return pick(random, wanted.size() > 0 ? wanted : pass ? slot.failing : slot.passing);
}

/**
 * One call for a target: valid (every slot passes its check), or malformed in one of the ways
 * the issue lists (wrong type in a slot, a missing argument, extra arguments, all junk).
 */
export function makeCall(random: Random, pool: ValuePool, target: FuzzTarget): FuzzCall {
	const args: unknown[] = [];
	const labels: string[] = [];
	let count = 0;
	const push = (index: number) => {
		args[count] = valueOf(pool.values[index]);
		count += 1;
		labels.push(pool.labels[index]);
	};
	const checks = target.contract?.checks ?? [];
	const slots = checks.map((check) => partition(pool, check));
	const shapeRoll = target.kind === "Sealed" ? 0.9 : random.NextNumber();
	let shape: string;
	if (shapeRoll < 0.35) {
		shape = "valid";
		for (const slot of slots) push(pickSlot(random, slot, true));
	} else if (shapeRoll < 0.6) {
		const bad = random.NextInteger(0, math.max(slots.size() - 1, 0));
		shape = `wrong type in slot ${bad}`;
		slots.forEach((slot, index) => push(pickSlot(random, slot, index !== bad)));
	} else if (shapeRoll < 0.7) {
		shape = "missing argument";
		for (let index = 0; index < slots.size() - 1; index++) push(pickSlot(random, slots[index], true));
	} else if (shapeRoll < 0.8) {
		shape = "extra arguments";
		for (const slot of slots) push(pickSlot(random, slot, true));
		for (let extra = random.NextInteger(1, 3); extra > 0; extra--) push(random.NextInteger(0, pool.values.size() - 1));
	} else {
		shape = "junk";
		for (let index = random.NextInteger(0, 4); index > 0; index--) push(random.NextInteger(0, pool.values.size() - 1));
	}
	return { target: target.name, shape: `${shape}: ${labels.join(", ")}`, args, count };
}

/** Fires a remote with exactly `count` arguments (nils kept in place), after `prefix` ones. */
export function fireExactly(remote: RemoteEvent, prefix: unknown[], args: unknown[], count: number) {
	const all: unknown[] = [];
	let size = 0;
	for (const value of prefix) all[size++] = value;
	for (let index = 0; index < count; index++) all[size++] = args[index];
	const fire = remote.FireServer as unknown as (self: RemoteEvent, ...rest: unknown[]) => void;
	const [a, b, c, d, e, f, g, h] = [all[0], all[1], all[2], all[3], all[4], all[5], all[6], all[7]];
	assert(size <= 8, "fireExactly sends at most 8 arguments");
	if (size === 0) fire(remote);
	else if (size === 1) fire(remote, a);
	else if (size === 2) fire(remote, a, b);
	else if (size === 3) fire(remote, a, b, c);
	else if (size === 4) fire(remote, a, b, c, d);
	else if (size === 5) fire(remote, a, b, c, d, e);
	else if (size === 6) fire(remote, a, b, c, d, e, f);
	else if (size === 7) fire(remote, a, b, c, d, e, f, g);
	else fire(remote, a, b, c, d, e, f, g, h);
}
