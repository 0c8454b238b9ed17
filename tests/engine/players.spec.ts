import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("Players.MaxPlayers: a server never takes more players than its limit", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("reports the limit on the server and on its clients (50 unless the server sets another)", () => {
		const server = world.startServer({ empty: true });
		expect(server.game.GetService("Players").MaxPlayers).toBe(50);
		const small = world.startServer({ empty: true, maxPlayers: 3 });
		const client = world.join(small, { userId: 1, runScripts: false });
		expect(small.game.GetService("Players").MaxPlayers).toBe(3);
		expect(client.game.GetService("Players").MaxPlayers).toBe(3);
	});

	it("refuses a join past the limit and takes one again once a player leaves", () => {
		const server = world.startServer({ empty: true, maxPlayers: 2 });
		world.join(server, { userId: 11, runScripts: false });
		const second = world.join(server, { userId: 12, runScripts: false });
		const [ok, message] = pcall(() => world.join(server, { userId: 13, runScripts: false }));
		expect(ok).toBe(false);
		expect(tostring(message)).toContain("the server is full (MaxPlayers 2)");
		expect(server.game.GetService("Players").GetPlayers().size()).toBe(2);
		second.disconnect();
		Headless.frames(2);
		const third = world.join(server, { userId: 13, runScripts: false });
		expect(third.player.UserId).toBe(13);
	});
});
