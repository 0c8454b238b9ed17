import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

function rootOf(player: Player | undefined): BasePart {
	const character = player?.Character;
	assert(character !== undefined, "the player has no character");
	return character.FindFirstChild("HumanoidRootPart") as BasePart;
}

describe("minimal characters and their network ownership", () => {
	const world = new World();
	let server: HeadlessServer;
	let walker: HeadlessClient;
	let watcher: HeadlessClient;

	beforeAll(() => {
		server = world.startServer({ empty: true });
		walker = world.join(server, { userId: 31, name: "Walker", runScripts: false });
		watcher = world.join(server, { userId: 32, name: "Watcher", runScripts: false });
		Headless.frames(2);
	});
	afterAll(() => world.stop());

	it("gives each player a Model with a HumanoidRootPart in Workspace, on the server and every client", () => {
		const character = walker.player.Character!;
		expect(character.IsA("Model")).toBe(true);
		expect(character.Parent).toBe(server.game.GetService("Workspace"));
		expect(character.PrimaryPart).toBe(rootOf(walker.player));
		expect(server.game.GetService("Players").GetPlayerFromCharacter(character)).toBe(walker.player);
		expect(rootOf(walker.localPlayer()).IsA("BasePart")).toBe(true);
		const seenByWatcher = watcher.game.GetService("Workspace").FindFirstChild("Walker") as Model;
		expect(seenByWatcher.FindFirstChild("HumanoidRootPart")).toBeDefined();
	});

	it("replicates the owner's root part moves to the server and the other clients, counting the bytes", () => {
		const before = walker.traffic().bytesToServer;
		rootOf(walker.localPlayer()).CFrame = new CFrame(40, 3, -25);
		Headless.frames(1);
		expect(rootOf(walker.player).CFrame.Position).toEqual(new Vector3(40, 3, -25));
		expect(walker.traffic().bytesToServer).toBeGreaterThan(before);
		Headless.frames(1);
		const watched = watcher.game.GetService("Workspace").FindFirstChild("Walker")!.FindFirstChild("HumanoidRootPart") as BasePart;
		expect(watched.CFrame.Position).toEqual(new Vector3(40, 3, -25));
	});

	it("does not let a client move a part it does not own", () => {
		const othersRoot = watcher.game.GetService("Workspace").FindFirstChild("Walker")!.FindFirstChild("HumanoidRootPart") as BasePart;
		othersRoot.CFrame = new CFrame(999, 3, 999);
		Headless.frames(2);
		expect(rootOf(walker.player).CFrame.Position).toEqual(new Vector3(40, 3, -25));
	});

	it("does not echo the owner's own moves back, but replicates a server teleport to the owner", () => {
		const ownRoot = rootOf(walker.localPlayer());
		ownRoot.CFrame = new CFrame(1, 3, 1);
		Headless.frames(1);
		ownRoot.CFrame = new CFrame(2, 3, 2);
		Headless.frames(1);
		// The server's copy of the first move must not arrive after the second one.
		expect(ownRoot.CFrame.Position).toEqual(new Vector3(2, 3, 2));
		rootOf(walker.player).CFrame = new CFrame(500, 3, 500);
		Headless.frames(2);
		expect(ownRoot.CFrame.Position).toEqual(new Vector3(500, 3, 500));
	});

	it("removes the character when the player leaves", () => {
		const character = watcher.player.Character!;
		watcher.disconnect();
		Headless.frames(2);
		expect(character.Parent).toBeUndefined();
		expect(walker.game.GetService("Workspace").FindFirstChild("Watcher")).toBeUndefined();
	});
});
