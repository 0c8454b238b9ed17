import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

/** SignalBehavior is a place setting (plugin security): specs set it as a place file would. */
function workspaceOf(peer: HeadlessPeer) {
	return peer.game.GetService("Workspace") as unknown as { SignalBehavior: Enum.SignalBehavior };
}

/** A server whose Workspace.SignalBehavior is `mode`, with a BindableEvent and a Folder in it. */
function serverWith(world: World, mode: Enum.SignalBehavior) {
	const server = world.startServer({ empty: true });
	workspaceOf(server).SignalBehavior = mode;
	const event = server.create("BindableEvent", server.game.GetService("ReplicatedStorage"));
	const folder = server.create("Folder", server.game.GetService("ReplicatedStorage"));
	const value = server.create("IntValue", folder);
	return { server, event, folder, value };
}


describe("Workspace.SignalBehavior", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("is Deferred in the place players get, and in a new empty place as Roblox's templates set it", () => {
		expect((game.GetService("Workspace") as unknown as { SignalBehavior: unknown }).SignalBehavior).toBe(Enum.SignalBehavior.Deferred);
		const empty = world.startServer({ empty: true });
		expect(workspaceOf(empty).SignalBehavior).toBe(Enum.SignalBehavior.Deferred);
	});

	it("Deferred runs handlers at the next resumption point", () => {
		const { server, event, folder } = serverWith(world, Enum.SignalBehavior.Deferred);
		const log: string[] = [];
		event.Event.Connect(() => log.push("event"));
		folder.ChildAdded.Connect(() => log.push("child"));
		event.Fire();
		server.create("Folder", folder);
		log.push("after");
		Headless.frames(1);
		expect(log).toEqual(["after", "event", "child"]);
	});

	it("Immediate runs handlers before Fire and the property change return", () => {
		const { server, event, folder, value } = serverWith(world, Enum.SignalBehavior.Immediate);
		const log: string[] = [];
		event.Event.Connect(() => log.push("event"));
		folder.ChildAdded.Connect(() => log.push("child"));
		value.Changed.Connect(() => log.push("changed"));
		event.Fire();
		log.push("fired");
		server.create("Folder", folder);
		log.push("parented");
		value.Value = 5;
		log.push("set");
		expect(log).toEqual(["event", "fired", "child", "parented", "changed", "set"]);
	});

	it("Default is Immediate, as Roblox documents it today", () => {
		const { event } = serverWith(world, Enum.SignalBehavior.Default);
		const log: string[] = [];
		event.Event.Connect(() => log.push("event"));
		event.Fire();
		log.push("fired");
		expect(log).toEqual(["event", "fired"]);
	});

	it("AncestryDeferred defers only the events ancestry changes trigger", () => {
		const { server, event, folder, value } = serverWith(world, Enum.SignalBehavior.AncestryDeferred);
		const log: string[] = [];
		event.Event.Connect(() => log.push("event"));
		folder.ChildAdded.Connect(() => log.push("child"));
		folder.DescendantAdded.Connect(() => log.push("descendant"));
		value.Changed.Connect(() => log.push("changed"));
		server.create("Folder", folder);
		event.Fire();
		value.Value = 3;
		log.push("done");
		Headless.frames(1);
		expect(log).toEqual(["event", "changed", "done", "child", "descendant"]);
	});

	it("stops a deferred event re-firing itself past the re-entrancy limit of 10, with a warning", () => {
		const { event, server } = serverWith(world, Enum.SignalBehavior.Deferred);
		let runs = 0;
		event.Event.Connect(() => {
			runs += 1;
			event.Fire();
		});
		event.Fire();
		Headless.frames(2);
		expect(runs).toBe(11);
		expect(server.output().filter((line) => line.find("depth exceeded")[0] !== undefined).size()).toBe(1);
		// Fires that are not nested start again at depth 0.
		event.Fire();
		Headless.frames(2);
		expect(runs).toBe(22);
	});

	it("gives a joining client the server's behaviour", () => {
		const { server } = serverWith(world, Enum.SignalBehavior.Immediate);
		const client = world.join(server, { userId: 91, name: "Mode", runScripts: false });
		expect(workspaceOf(client).SignalBehavior).toBe(Enum.SignalBehavior.Immediate);
		const event = client.create("BindableEvent");
		const log: string[] = [];
		event.Event.Connect(() => log.push("event"));
		event.Fire();
		log.push("fired");
		expect(log).toEqual(["event", "fired"]);
	});
});

