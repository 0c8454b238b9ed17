import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

function generalChannel(peer: HeadlessPeer): TextChannel {
	return peer.game.GetService("TextChatService").WaitForChild("TextChannels").WaitForChild("RBXGeneral") as TextChannel;
}

describe("engine: group ranks, Studio and private servers", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("answers Player:GetRankInGroup from the ranks the player joined with, 0 elsewhere", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 41, name: "Ranked", runScripts: false, groupRanks: { 7: 200 } });
		expect(client.player.GetRankInGroup(7)).toBe(200);
		expect(client.player.GetRankInGroupAsync(7)).toBe(200);
		expect(client.player.GetRankInGroup(8)).toBe(0);
		expect(() => client.player.GetRankInGroup("7" as never)).toThrow("Unable to cast");
		const other = world.join(server, { userId: 42, name: "Unranked", runScripts: false });
		expect(other.player.GetRankInGroup(7)).toBe(0);
	});

	it("says Studio only on a server started as Studio, and reports a private server's owner", () => {
		const studio = world.startServer({ empty: true, studio: true });
		const live = world.startServer({ empty: true, privateServerId: "vip-1", privateServerOwnerId: 77 });
		expect(studio.game.GetService("RunService").IsStudio()).toBe(true);
		expect(live.game.GetService("RunService").IsStudio()).toBe(false);
		expect(live.game.PrivateServerId).toBe("vip-1");
		expect(live.game.PrivateServerOwnerId).toBe(77);
		expect(studio.game.PrivateServerOwnerId).toBe(0);
	});
});

describe("engine: TextChatService commands and system messages", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("fires a matching TextChatCommand's Triggered on the sending client instead of sending the message", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 51, name: "Typer", runScripts: false });
		const service = client.game.GetService("TextChatService");
		const command = client.create("TextChatCommand", service);
		command.PrimaryAlias = "/status";
		command.SecondaryAlias = "/st";
		const seen: [number, string][] = [];
		command.Triggered.Connect((source, text) => seen.push([source.UserId, text]));
		generalChannel(client).SendAsync("/STATUS now please");
		generalChannel(client).SendAsync("/st");
		Headless.frames(1);
		expect(seen).toEqual([
			[51, "/STATUS now please"],
			[51, "/st"],
		]);
		command.Enabled = false;
		expect(() => generalChannel(client).SendAsync("/status")).toThrow("not emulated");
	});

	it("fails loudly on plain chat and on client-only methods called by the server", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 52, name: "Chatter", runScripts: false });
		expect(() => generalChannel(client).SendAsync("hello everyone")).toThrow("not emulated");
		expect(() => generalChannel(server).SendAsync("/x")).toThrow("can only be called from the client");
		expect(() => generalChannel(server).DisplaySystemMessage("x")).toThrow("can only be called from the client");
	});

	it("shows a system message to that client alone through MessageReceived", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 53, name: "Reader", runScripts: false });
		const other = world.join(server, { userId: 54, name: "Bystander", runScripts: false });
		const received: string[] = [];
		const otherReceived: string[] = [];
		client.game.GetService("TextChatService").MessageReceived.Connect((message) => received.push(message.Text));
		other.game.GetService("TextChatService").MessageReceived.Connect((message) => otherReceived.push(message.Text));
		const system = client.game.GetService("TextChatService").WaitForChild("TextChannels").WaitForChild("RBXSystem") as TextChannel;
		const message = system.DisplaySystemMessage("backup done", "admin");
		expect(message.Text).toBe("backup done");
		expect(message.Metadata).toBe("admin");
		Headless.frames(1);
		expect(received).toEqual(["backup done"]);
		expect(otherReceived).toEqual([]);
	});
});

describe("engine: TextService filtering", () => {
	const world = new World();
	afterAll(() => {
		Headless.setFilteredWords([]);
		world.stop();
	});

	it("hides the words a spec marks, only for a sender in this server, only on the server", () => {
		const server = world.startServer({ empty: true });
		const client = world.join(server, { userId: 61, name: "Writer", runScripts: false });
		const text = server.game.GetService("TextService");
		expect(text.FilterStringAsync("hello Badword world", 61).GetNonChatStringForBroadcastAsync()).toBe("hello Badword world");
		Headless.setFilteredWords(["badword"]);
		const result = text.FilterStringAsync("hello Badword world", 61, Enum.TextFilterContext.PublicChat);
		expect(result.GetNonChatStringForBroadcastAsync()).toBe("hello ####### world");
		expect(result.GetNonChatStringForUserAsync(61)).toBe("hello ####### world");
		expect(() => text.FilterStringAsync("hi", 62)).toThrow("not in this server");
		expect(() => client.game.GetService("TextService").FilterStringAsync("hi", 61)).toThrow("only be called from the server");
	});
});
