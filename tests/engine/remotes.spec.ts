import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { remotePair, World } from "../harness/world";

describe("remotes between a server and a client peer", () => {
	const world = new World();
	let server: HeadlessServer;
	let client: HeadlessClient;
	let serverRemote: RemoteEvent;
	let clientRemote: RemoteEvent;

	beforeAll(() => {
		({ server, client, serverRemote, clientRemote } = remotePair(world, "Probe", 7));
	});
	afterAll(() => world.stop());

	function sendToServer(...args: unknown[]): unknown[] {
		const received: unknown[][] = [];
		const connection = serverRemote.OnServerEvent.Connect((player, ...rest) => received.push([player, ...rest]));
		clientRemote.FireServer(...args);
		Headless.frames(2);
		connection.Disconnect();
		expect(received.size()).toBe(1);
		return received[0];
	}

	it("passes the sending player first and copies tables", () => {
		const payload = { nested: { value: 1 } };
		const [player, copy] = sendToServer(payload) as [Player, typeof payload];
		expect(player).toBe(client.player);
		expect(copy).toEqual(payload);
		expect(copy).never.toBe(payload);
	});

	it("applies Roblox's argument rules", () => {
		const mixed = { 1: "first", 2: "second", label: "lost" } as unknown;
		const withHole = ["a", undefined, "c"];
		const metatabled = setmetatable({ kept: true }, { __index: () => "meta" });
		const [, mixedCopy, holeCopy, functionCopy, metaCopy] = sendToServer(mixed, withHole, () => 1, metatabled) as [
			Player,
			Record<string, unknown>,
			unknown[],
			unknown,
			Record<string, unknown>,
		];
		expect(mixedCopy).toEqual(["first", "second"]);
		expect(holeCopy).toEqual(["a"]);
		expect(functionCopy).toBeUndefined();
		expect(metaCopy.kept).toBe(true);
		expect(getmetatable(metaCopy)).toBeUndefined();
	});

	it("turns non-string dictionary keys into strings", () => {
		const keyed = new Map<unknown, number>();
		keyed.set(true, 1);
		keyed.set("name", 2);
		const [, copy] = sendToServer(keyed) as [Player, Record<string, number>];
		expect(copy.true).toBe(1);
		expect(copy.name).toBe(2);
	});

	it("delivers Instances only where the receiver has them", () => {
		const clientOnly = client.create("Folder", client.game.GetService("ReplicatedStorage"));
		const [, replicatedArg, clientOnlyArg] = sendToServer(clientRemote, clientOnly) as [Player, unknown, unknown];
		expect(replicatedArg).toBe(serverRemote);
		expect(clientOnlyArg).toBeUndefined();
	});

	it("keeps reliable events in order and counts bytes", () => {
		const before = client.traffic().bytesToServer;
		const received: number[] = [];
		const connection = serverRemote.OnServerEvent.Connect((_, index) => received.push(index as number));
		for (let index = 1; index <= 20; index++) clientRemote.FireServer(index);
		Headless.frames(2);
		connection.Disconnect();
		expect(received).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
		expect(client.traffic().bytesToServer - before).toBeGreaterThanOrEqual(20 * 9);
	});

	it("queues server events fired before the client listens and hands them to the first connection", () => {
		serverRemote.FireClient(client.player, "early");
		Headless.frames(2);
		const received: defined[] = [];
		clientRemote.OnClientEvent.Connect((value: defined) => received.push(value));
		Headless.frames(1);
		expect(received).toEqual(["early"]);
	});

	it("refuses FireClient without a Player and FireServer on the server", () => {
		expect(() => serverRemote.FireClient(undefined as never)).toThrow("player argument must be a Player");
		expect(() => serverRemote.FireServer()).toThrow("can only be called from the client");
	});

	it("round-trips a RemoteFunction and re-raises server errors on the client", () => {
		const serverFunction = server.create("RemoteFunction", server.game.GetService("ReplicatedStorage"));
		serverFunction.Name = "Adder";
		serverFunction.OnServerInvoke = (_player, a, b) => {
			if (a === undefined) error("missing operand");
			return (a as number) + (b as number);
		};
		Headless.frames(2);
		const clientFunction = client.game.GetService("ReplicatedStorage").WaitForChild("Adder") as RemoteFunction;
		expect(clientFunction.InvokeServer(2, 3)).toBe(5);
		expect(() => clientFunction.InvokeServer()).toThrow("missing operand");
	});
});

describe("replication", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("replicates ReplicatedStorage and Workspace at join and on change, but not server-only containers", () => {
		const server = world.startServer({ empty: true });
		const storage = server.game.GetService("ReplicatedStorage");
		const early = server.create("Folder", storage);
		early.Name = "Early";
		const secret = server.create("Folder", server.game.GetService("ServerStorage"));
		secret.Name = "Secret";
		const client = world.join(server, { userId: 8, name: "Viewer", runScripts: false });
		const clientStorage = client.game.GetService("ReplicatedStorage");
		expect(clientStorage.FindFirstChild("Early")).toBeDefined();
		expect(client.find("ServerStorage.Secret")).toBeUndefined();

		const part = server.create("Part", server.game.GetService("Workspace"));
		part.Name = "Placed";
		part.SetAttribute("Owner", 8);
		part.AddTag("Placed");
		Headless.frames(2);
		const replica = client.game.GetService("Workspace").FindFirstChild("Placed") as Part;
		expect(replica).toBeDefined();
		expect(replica).never.toBe(part);
		expect(replica.GetAttribute("Owner")).toBe(8);
		expect(replica.HasTag("Placed")).toBe(true);

		part.Anchored = true;
		part.SetAttribute("Owner", 9);
		early.Name = "Renamed";
		Headless.frames(2);
		expect(replica.Anchored).toBe(true);
		expect(replica.GetAttribute("Owner")).toBe(9);
		expect(clientStorage.FindFirstChild("Renamed")).toBeDefined();

		part.Destroy();
		Headless.frames(2);
		expect(client.game.GetService("Workspace").FindFirstChild("Placed")).toBeUndefined();
	});

	it("never replicates client changes back to the server", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 9, name: "Cheater", runScripts: false });
		const forged = client.create("Part", client.game.GetService("Workspace"));
		forged.Name = "Forged";
		Headless.frames(3);
		expect(server.game.GetService("Workspace").FindFirstChild("Forged")).toBeUndefined();
	});

	it("lets every client see the players, with LocalPlayer as its own", () => {
		const server = world.startServer({ empty: true });
		const first = world.join(server, { userId: 21, name: "First", runScripts: false });
		const second = world.join(server, { userId: 22, name: "Second", runScripts: false });
		Headless.frames(2);
		expect(first.localPlayer()?.UserId).toBe(21);
		expect(second.localPlayer()?.UserId).toBe(22);
		expect(first.game.GetService("Players").GetPlayers().size()).toBe(2);
		second.player.Kick("bye");
		Headless.frames(2);
		expect(second.isAlive()).toBe(false);
		expect(second.kickReason()).toBe("bye");
		expect(server.game.GetService("Players").GetPlayers().size()).toBe(1);
		expect(first.game.GetService("Players").GetPlayers().size()).toBe(1);
	});
});
