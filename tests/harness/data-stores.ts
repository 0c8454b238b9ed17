import { afterEach, beforeEach } from "@rbxts/jest-globals";
import { World } from "./world";

const HOUR_MILLIS = 3_600_000;

/** An empty server peer (no game scripts) on a backend of its own unless one is given to share. */
export function dataStoreServer(world: World, name?: string, dataStore = Headless.newDataStore()): HeadlessServer {
	return world.startServer({ empty: true, name, dataStore });
}

/** A server on a backend of its own and its "Specs" store, made fresh for every test of a describe. */
export interface FreshStore {
	readonly world: World;
	server: HeadlessServer;
	store: DataStore;
}

export function useFreshStore(): FreshStore {
	const given = { world: new World() } as FreshStore;
	beforeEach(() => {
		given.server = dataStoreServer(given.world);
		given.store = storeOf(given.server);
	});
	afterEach(() => given.world.stop());
	return given;
}

export function dataStoreServiceOf(server: HeadlessServer): DataStoreService {
	return server.game.GetService("DataStoreService");
}

export function storeOf(server: HeadlessServer, name = "Specs", scope?: string): DataStore {
	return dataStoreServiceOf(server).GetDataStore(name, scope);
}

/** Options that make GetAsync skip the four-second read cache. */
export function uncached(server: HeadlessServer): DataStoreGetOptions {
	const options = server.create("DataStoreGetOptions");
	options.UseCache = false;
	return options;
}

/** The message `fn` raised, or undefined when it returned normally. */
export function errorOf(fn: () => unknown): string | undefined {
	const [ok, problem] = pcall(fn);
	return ok ? undefined : tostring(problem);
}

/** Runs `fn` and returns its result with the virtual seconds it took. */
export function timed<T>(fn: () => T): [result: T, seconds: number] {
	const started = Headless.now();
	const result = fn();
	return [result, Headless.now() - started];
}

/** The current virtual time as Unix milliseconds, the clock DataStore versions are stamped with. */
export function unixMillis(): number {
	return math.floor(DateTime.now().UnixTimestampMillis);
}

/** Milliseconds since the start of the current UTC hour. */
export function millisIntoHour(): number {
	return unixMillis() % HOUR_MILLIS;
}

/** Lets virtual time pass until one second into the next UTC hour. */
export function waitForNextHour() {
	Headless.seconds((HOUR_MILLIS - millisIntoHour()) / 1000 + 1);
}

/**
 * Jumps the clock to one second into the next UTC hour: nothing runs in between (as if every
 * peer hung), then one frame in which every wait that came due resumes. An hour of frames costs a
 * spec with servers and players in it many seconds of real time for nothing it checks.
 */
export function jumpToNextHour() {
	Headless.skipTime((HOUR_MILLIS - millisIntoHour()) / 1000 + 1);
}

/** Waits for the next UTC hour when fewer than `seconds` are left in this one. */
export function ensureRoomInHour(seconds: number) {
	if (HOUR_MILLIS - millisIntoHour() < seconds * 1000) waitForNextHour();
}

/** Per-test timeout (milliseconds of virtual time) for specs that may wait for an hour boundary. */
export const HOURS_TIMEOUT = 3 * HOUR_MILLIS;

/** What an UpdateAsync transform returns: the new value (none cancels the write), user ids, metadata. */
export type UpdateResult<R> = [newValue?: R, userIds?: number[], metadata?: object];

/** DataStore:UpdateAsync with a transform that returns its values as an array. */
export function updateAsync<O, R>(
	store: DataStore,
	key: string,
	transform: (old: O | undefined, info: DataStoreKeyInfo | undefined) => UpdateResult<R>,
) {
	return store.UpdateAsync<O, R>(key, (old, info) => {
		const [newValue, userIds, metadata] = transform(old, info);
		// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- UpdateAsync reads up to three return values
		return $tuple(newValue, userIds, metadata);
	});
}

/** `size` bytes from a xorshift32 sequence: incompressible, and the same every run. */
export function noise(size: number, seed = 2463534242): buffer {
	const data = buffer.create(size);
	let state = seed;
	for (let offset = 0; offset + 4 <= size; offset += 4) {
		state = bit32.bxor(state, bit32.lshift(state, 13));
		state = bit32.bxor(state, bit32.rshift(state, 17));
		state = bit32.bxor(state, bit32.lshift(state, 5));
		buffer.writeu32(data, offset, state);
	}
	return data;
}
