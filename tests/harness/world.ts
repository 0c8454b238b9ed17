import type { Modding as ModdingNamespace } from "@flamework/core";

const FLAMEWORK_CORE = "ReplicatedStorage.rbxts_include.node_modules.@flamework.core.out";

/**
 * Peers a spec file starts, stopped together when it ends so one file's world never leaks
 * into the next.
 */
export class World {
	private readonly servers: HeadlessServer[] = [];
	private readonly clients: HeadlessClient[] = [];

	startServer(options?: HeadlessServerOptions): HeadlessServer {
		const server = Headless.createServer(options);
		this.servers.push(server);
		return server;
	}

	join(server: HeadlessServer, player: HeadlessPlayerInfo): HeadlessClient {
		const client = Headless.connectClient(server, player);
		this.clients.push(client);
		return client;
	}

	stop() {
		for (const client of this.clients) {
			if (client.isAlive()) client.disconnect();
		}
		for (const server of this.servers) {
			if (server.isAlive()) Headless.crashServer(server);
		}
		this.clients.clear();
		this.servers.clear();
	}
}

/** The Flamework singleton a peer's own Flamework resolved for the class `exportName` of a module. */
export function singletonOf<T>(peer: HeadlessPeer, modulePath: string, exportName: string): T {
	const flamework = peer.requirePath(FLAMEWORK_CORE) as { Modding: typeof ModdingNamespace };
	const moduleExports = peer.requirePath(modulePath) as Record<string, unknown>;
	const ctor = moduleExports[exportName];
	assert(ctor !== undefined, `${modulePath} exports no ${exportName}`);
	return flamework.Modding.resolveSingleton(ctor as never) as T;
}

/** Runs `call` in its own thread, so the spec can watch the clock while it waits; its result once it returned. */
export function inBackground<T>(call: () => T): () => T | undefined {
	let result: T | undefined;
	task.spawn(() => (result = call()));
	return () => result;
}

/** Lets virtual time pass until `condition` holds; fails after `timeoutSeconds`. */
export function waitUntil(condition: () => boolean, timeoutSeconds = 60, what = "condition"): void {
	const deadline = Headless.now() + timeoutSeconds;
	while (!condition()) {
		if (Headless.now() > deadline) error(`timed out after ${timeoutSeconds} s waiting for ${what}`, 2);
		Headless.frames(1);
	}
}

/** An empty server with one RemoteEvent in ReplicatedStorage, and a scriptless client holding its replica. */
export function remotePair(world: World, name: string, userId: number) {
	const server = world.startServer({ empty: true });
	const serverRemote = server.create("RemoteEvent", server.game.GetService("ReplicatedStorage"));
	serverRemote.Name = name;
	const client = world.join(server, { userId, name, runScripts: false });
	const clientRemote = client.game.GetService("ReplicatedStorage").WaitForChild(name) as RemoteEvent;
	return { server, client, serverRemote, clientRemote };
}
