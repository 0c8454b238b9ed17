import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

/** A small world with two clients, remotes, timers and a DataStore, traced frame by frame. */
function traceScenario(world: World, seed: number): string[] {
	const trace: string[] = [];
	const startFrame = Headless.frame();
	const stamp = (text: string) => trace.push(`${Headless.frame() - startFrame}: ${text}`);
	const server = world.startServer({ empty: true, dataStore: Headless.newDataStore() });
	const remote = server.create("RemoteEvent", server.game.GetService("ReplicatedStorage"));
	remote.Name = "Chatter";
	remote.OnServerEvent.Connect((player, message) => {
		stamp(`server got ${message} from ${player.Name}`);
		remote.FireAllClients(`${player.Name} said ${message}`);
	});
	const random = new Random(seed);
	const clients = [1, 2].map((index) => world.join(server, { userId: 900 + index, name: `Bot${index}`, runScripts: false }));
	for (const client of clients) {
		const replica = client.game.GetService("ReplicatedStorage").WaitForChild("Chatter") as RemoteEvent;
		const listener = client.localPlayer()!.Name;
		replica.OnClientEvent.Connect((text) => stamp(`${listener} heard ${text}`));
		for (let message = 1; message <= 3; message++) {
			task.delay(random.NextNumber(0, 0.5), () => replica.FireServer(message));
		}
	}
	const store = server.game.GetService("DataStoreService").GetDataStore("Trace");
	task.spawn(() => {
		store.SetAsync("key", 1);
		const [value] = store.IncrementAsync("key", 1);
		stamp(`store updated to ${value}`);
	});
	Headless.seconds(2);
	return trace;
}

describe("determinism", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("gives the same trace for the same inputs", () => {
		const first = traceScenario(world, 5);
		world.stop();
		const second = traceScenario(world, 5);
		expect(first.size()).toBeGreaterThan(10);
		expect(second).toEqual(first);
	});

	it("gives a different trace when the inputs differ", () => {
		const first = traceScenario(world, 5);
		world.stop();
		const other = traceScenario(world, 6);
		expect(other).never.toEqual(first);
	});
});
