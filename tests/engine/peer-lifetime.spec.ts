import { describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../harness/world";
import { placeChair } from "../server/build-journal/journal-world";

/** Holds what it is given weakly: an entry is gone once the collector freed its value. */
interface WeakProbe {
	server?: HeadlessServer;
	client?: HeadlessClient;
}

/**
 * A full game (server scripts, a client running its own) in which the player places an object
 * (their client streams it in and aims its build rays past it), then stops; returns nothing so
 * no frame keeps it.
 */
function playAndStop(probe: WeakProbe, crash: boolean) {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const client = world.join(server, { userId: 4101, name: "Leaver" });
	waitUntil(() => placeChair(server, 4101, 0).success, 30, "a placement to go through");
	Headless.seconds(2);
	probe.server = server;
	probe.client = client;
	if (crash) world.stop();
	else {
		client.disconnect();
		Headless.stopServer(server);
		Headless.seconds(31);
	}
}

describe("a stopped peer", () => {
	// Every signal, script environment, sleeping thread, RaycastParams filter and MemoryStore
	// registration of a peer used to stay reachable from engine tables after it stopped: each spec file's worlds piled up
	// in the process (at 100k objects, hundreds of MB), and every later collection walked them.
	for (const crash of [true, false]) {
		it(`is freed with its game once nothing refers to it (${crash ? "crashed" : "shut down"})`, () => {
			const probe = setmetatable<WeakProbe>({}, { __mode: "v" });
			playAndStop(probe, crash);
			Headless.frames(2);
			Headless.settledHeap();
			expect(probe.client).toBeUndefined();
			expect(probe.server).toBeUndefined();
		});
	}
});
