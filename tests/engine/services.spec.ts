import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { RunService, Stats } from "@rbxts/services";
import { World } from "../harness/world";

describe("engine services", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("runs BindToClose callbacks on a graceful stop, after players leave, and not on a crash", () => {
		const graceful = world.startServer({ empty: true });
		const crashed = world.startServer({ empty: true });
		const events: string[] = [];
		const client = world.join(graceful, { userId: 31, name: "Leaver", runScripts: false });
		graceful.game.GetService("Players").PlayerRemoving.Connect((player) => events.push(`removing ${player.Name}`));
		graceful.game.BindToClose(() => {
			task.wait(2);
			events.push("closed");
		});
		crashed.game.BindToClose(() => events.push("crash closed"));
		Headless.stopServer(graceful);
		Headless.crashServer(crashed);
		Headless.frames(2);
		expect(events).toEqual(["removing Leaver", "closed"]);
		expect(client.isAlive()).toBe(false);
		expect(graceful.isAlive()).toBe(false);
		expect(crashed.isAlive()).toBe(false);
	});

	it("delivers MessagingService messages to every subscribed server and refuses large ones", () => {
		const sender = world.startServer({ empty: true });
		const receiver = world.startServer({ empty: true });
		const received: defined[] = [];
		const connection = receiver.game
			.GetService("MessagingService")
			.SubscribeAsync("topic", (message) => received.push((message as { Data: defined }).Data));
		sender.game.GetService("MessagingService").PublishAsync("topic", { hello: "world" });
		Headless.seconds(1);
		expect(received).toEqual([{ hello: "world" }]);
		connection.Disconnect();
		sender.game.GetService("MessagingService").PublishAsync("topic", "again");
		Headless.seconds(1);
		expect(received.size()).toBe(1);
		expect(() => sender.game.GetService("MessagingService").PublishAsync("topic", string.rep("x", 1100))).toThrow(
			"Message too big",
		);
		// Topics are 1 to 80 characters.
		expect(() => sender.game.GetService("MessagingService").PublishAsync("", "empty")).toThrow("Topic is invalid");
		expect(() => sender.game.GetService("MessagingService").SubscribeAsync(string.rep("t", 81), () => undefined)).toThrow("Topic is invalid");
	});

	it("yields in PublishAsync and SubscribeAsync, as Roblox documents", () => {
		const server = world.startServer({ empty: true });
		const messaging = server.game.GetService("MessagingService");
		const order: string[] = [];
		task.defer(() => order.push("deferred before SubscribeAsync"));
		const connection = messaging.SubscribeAsync("yields", () => undefined);
		order.push("SubscribeAsync returned");
		task.defer(() => order.push("deferred before PublishAsync"));
		messaging.PublishAsync("yields", 1);
		order.push("PublishAsync returned");
		expect(order).toEqual(["deferred before SubscribeAsync", "SubscribeAsync returned", "deferred before PublishAsync", "PublishAsync returned"]);
		connection.Disconnect();
	});

	it("lets a server miss MessagingService messages (delivery is best-effort) until it is told to stop", () => {
		const sender = world.startServer({ empty: true });
		const receiver = world.startServer({ empty: true });
		const received: defined[] = [];
		receiver.game.GetService("MessagingService").SubscribeAsync("topic", (message) => received.push((message as { Data: defined }).Data));
		receiver.setDropsMessages(true);
		sender.game.GetService("MessagingService").PublishAsync("topic", "missed");
		Headless.seconds(1);
		expect(received).toEqual([]);
		receiver.setDropsMessages(false);
		sender.game.GetService("MessagingService").PublishAsync("topic", "delivered");
		Headless.seconds(1);
		expect(received).toEqual(["delivered"]);
	});

	it("reports memory figures that specs can set", () => {
		Headless.setMemory({ totalMb: 812, byTag: { Script: 40 } });
		expect(Stats.GetTotalMemoryUsageMb()).toBe(812);
		expect(Stats.GetMemoryUsageMbForTag(Enum.DeveloperMemoryTag.Script)).toBe(40);
		Headless.setMemory({ reset: true });
		expect(Stats.GetTotalMemoryUsageMb()).toBeGreaterThan(0);
		expect(Stats.GetTotalMemoryUsageMb()).never.toBe(812);
	});

	it("says what kind of peer is running", () => {
		expect(RunService.IsServer()).toBe(true);
		expect(RunService.IsClient()).toBe(false);
		expect(RunService.IsStudio()).toBe(false);
		expect(RunService.IsRunning()).toBe(true);
	});

	it("warns about an infinite yield in WaitForChild after five seconds", () => {
		const server = world.startServer({ empty: true });
		const folder = server.create("Folder", server.game.GetService("ReplicatedStorage"));
		folder.Name = "Waiting";
		task.spawn(() => folder.WaitForChild("Never"));
		Headless.seconds(6);
		expect(server.output()).toContain(`warn: Infinite yield possible on 'ReplicatedStorage.Waiting:WaitForChild("Never")'`);
	});

	it("carries UnreliableRemoteEvent traffic and drops oversized payloads", () => {
		const server = world.startServer({ empty: true });
		const remote = server.create("UnreliableRemoteEvent", server.game.GetService("ReplicatedStorage"));
		remote.Name = "Positions";
		const client = world.join(server, { userId: 32, name: "Mover", runScripts: false });
		const replica = client.game.GetService("ReplicatedStorage").WaitForChild("Positions") as UnreliableRemoteEvent;
		const received: defined[] = [];
		replica.OnClientEvent.Connect((value: defined) => received.push(value));
		remote.FireAllClients(new Vector3(1, 2, 3));
		remote.FireAllClients(string.rep("x", 1000));
		Headless.frames(2);
		expect(received).toEqual([new Vector3(1, 2, 3)]);
	});
});
