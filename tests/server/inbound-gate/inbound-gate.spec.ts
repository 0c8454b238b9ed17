import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type * as GatedServer from "server/inbound-gate/gated-server";
import type { InboundGateService } from "server/inbound-gate/inbound-gate-service";
import { InboundConfig } from "shared/config/inbound-config";
import { kickMessage, KickReason } from "shared/kick-reason";
import { RejectionReason } from "shared/placement/rejection-reason";
import { singletonOf, World } from "../../harness/world";
import { joinBuilder, PERMISSIVE, ServerSystems, systemsOf } from "../placement/placement-world";

describe("the inbound gate, through real client peers", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: ServerSystems;
	let gate: InboundGateService;
	let contract: typeof GatedServer;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		gate = singletonOf(server, "ServerScriptService.TS.inbound-gate.inbound-gate-service", "InboundGateService");
		contract = server.requirePath("ServerScriptService.TS.inbound-gate.gated-server") as typeof GatedServer;
	});
	afterAll(() => world.stop());

	/** A client's replica of a remote of the contract, by name. */
	function remoteOf(client: HeadlessClient, name: string): RemoteEvent {
		const where = contract.gatedRemotes().find((remote) => remote.name === name) ?? contract.sealedRemoteList().find((remote) => remote.name === name)!;
		const folder = client.game
			.GetService("ReplicatedStorage")
			.GetChildren()
			.find((child) => child.GetAttribute("id") === where.folderId)!;
		return folder.GetChildren().find((child) => child.GetAttribute("id") === where.remoteId) as RemoteEvent;
	}

	/** Answers a client got to raw function calls, by request id. */
	function answersOf(client: HeadlessClient, name: string) {
		const answers = new Map<number, unknown[]>();
		remoteOf(client, name).OnClientEvent.Connect((id: number, ...rest: unknown[]) => answers.set(id, rest));
		return answers;
	}

	it("gates or seals every remote a client can reach: none is left for a client to call around the gate", () => {
		Headless.frames(2);
		const covered = new Set<string>();
		for (const remote of [...contract.gatedRemotes(), ...contract.sealedRemoteList()]) covered.add(`${remote.folderId}|${remote.remoteId}`);
		const ungated: string[] = [];
		for (const instance of server.game.GetService("ReplicatedStorage").GetDescendants()) {
			if (!instance.IsA("RemoteEvent") && !instance.IsA("UnreliableRemoteEvent") && !instance.IsA("RemoteFunction")) continue;
			const key = `${instance.Parent?.GetAttribute("id")}|${instance.GetAttribute("id")}`;
			if (!covered.has(key)) ungated.push(instance.GetFullName());
		}
		expect(ungated).toEqual([]);
		expect(covered.size()).toBeGreaterThanOrEqual(7);
	});

	it("counts a ping with the wrong type or NaN per remote and per player, and never answers it", () => {
		const { client } = joinBuilder(world, server, 8101, "Pinger");
		const ping = remoteOf(client, "ping");
		const pongs: number[] = [];
		remoteOf(client, "pong").OnClientEvent.Connect((sequence: number) => pongs.push(sequence));
		Headless.seconds(6); // the client's own probe has been answered; the bucket refills
		pongs.clear();
		const before = gate.report().byRemote.get("ping")?.malformed ?? 0;
		ping.FireServer("seven");
		ping.FireServer(0 / 0);
		ping.FireServer(1, "extra");
		ping.FireServer(-4); // a number, but no probe a client makes
		Headless.frames(3);
		expect(gate.report().byRemote.get("ping")!.malformed - before).toBe(4);
		expect(gate.playerReport(8101)!.byRemote.get("ping")!.malformed).toBe(4);
		expect(pongs).toEqual([]);
		ping.FireServer(41);
		Headless.frames(3);
		expect(pongs).toEqual([41]);
		client.disconnect();
	});

	it("rate-limits pings: 1,000 in one second get the burst answered, not 1,000 pongs", () => {
		const { client } = joinBuilder(world, server, 8102, "Flooder");
		const pongs: number[] = [];
		remoteOf(client, "pong").OnClientEvent.Connect((sequence: number) => pongs.push(sequence));
		Headless.seconds(6);
		pongs.clear();
		const ping = remoteOf(client, "ping");
		for (let frame = 0; frame < 60; frame++) {
			for (let index = 0; index < 17; index++) ping.FireServer(frame * 17 + index);
			Headless.frames(1);
		}
		Headless.frames(3);
		const budget = InboundConfig.remotes.ping;
		expect(pongs.size()).toBeLessThanOrEqual(budget.burst + budget.perSecond + 1);
		expect(gate.playerReport(8102)!.byRemote.get("ping")!.rateLimited).toBeGreaterThanOrEqual(1020 - pongs.size());
		client.disconnect();
	});

	it("refuses a placement with an extra trailing argument as malformed, with no state change", () => {
		const { client } = joinBuilder(world, server, 8103, "Trailer");
		const answers = answersOf(client, "placeObject");
		const place = remoteOf(client, "placeObject");
		const objects = systems.tracker.totalObjects();
		const invalid = systems.analytics.rejectionCount(RejectionReason.InvalidPayload);
		place.FireServer(1, "chair", new Vector3(10, 0, 10), 0, "extra");
		Headless.frames(4);
		expect(answers.get(1)?.[0]).toBe("BadRequest");
		expect(systems.tracker.totalObjects()).toBe(objects);
		expect(systems.analytics.rejectionCount(RejectionReason.InvalidPayload)).toBe(invalid + 1);
		// The same call without the extra argument goes through.
		place.FireServer(2, "chair", new Vector3(10, 0, 10), 0);
		Headless.frames(4);
		expect(answers.get(2)?.[0]).toBe(true);
		expect(systems.tracker.totalObjects()).toBe(objects + 1);
		client.disconnect();
	});

	it("rate-limits malformed calls too: past the budget a flood is answered RateLimited, not checked", () => {
		const { client } = joinBuilder(world, server, 8104, "Junk");
		const answers = answersOf(client, "placeObject");
		const place = remoteOf(client, "placeObject");
		for (let index = 1; index <= 30; index++) place.FireServer(index, 5, "not a vector", {});
		Headless.frames(4);
		const kinds = new Map<string, number>();
		for (const [, answer] of answers) {
			const key = answer[0] === true ? ((answer[1] as { reason: string }).reason) : tostring(answer[0]);
			kinds.set(key, (kinds.get(key) ?? 0) + 1);
		}
		expect(kinds.get("BadRequest")).toBe(InboundConfig.remotes.placeObject.burst);
		expect(kinds.get(RejectionReason.RateLimited)).toBe(30 - InboundConfig.remotes.placeObject.burst);
		client.disconnect();
	});

	it("refuses a payload over the size limit and tables nested too deep before any type check", () => {
		const { client } = joinBuilder(world, server, 8105, "Heavy");
		const answers = answersOf(client, "removeObject");
		const remove = remoteOf(client, "removeObject");
		remove.FireServer(1, string.rep("x", InboundConfig.maxCallBytes + 10));
		let deep: object = {};
		for (let level = 0; level < 20; level++) deep = { deep };
		remove.FireServer(2, deep);
		Headless.frames(4);
		expect(answers.get(1)?.[0]).toBe("BadRequest");
		expect(answers.get(2)?.[0]).toBe("BadRequest");
		expect(gate.playerReport(8105)!.malformed).toBe(2);
		client.disconnect();
	});

	it("seals server→client remotes: firing them is counted, the log stays quiet, and persisting gets the player kicked", () => {
		const { client } = joinBuilder(world, server, 8106, "Sealer");
		const pong = remoteOf(client, "pong");
		const objectPlaced = remoteOf(client, "objectPlaced");
		for (let index = 0; index < 300; index++) {
			pong.FireServer(index, 0, 60);
			objectPlaced.FireServer({ id: "fake" });
			if (client.kickReason() !== undefined) break;
		}
		Headless.frames(4);
		const report = gate.playerReport(8106)!;
		expect(report.sealed).toBeGreaterThanOrEqual(InboundConfig.escalation.strikesToKick);
		expect(server.output().filter((line) => line.find("queue exhausted")[0] !== undefined)).toEqual([]);
		expect(client.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		const kick = systems.moderation.readLog(8106).find((entry) => entry.action === "kick")!;
		expect(kick.rule).toBe("inbound-garbage");
		expect(kick.detail).toContain("server→client remote");
	});

	it("strikes a function call whose request id is not a number, and kicks a client who keeps sending them", () => {
		const { client } = joinBuilder(world, server, 8108, "BadIds");
		const remove = remoteOf(client, "removeObject");
		// The gate in the call's middleware sees only the arguments after the id; the call itself is
		// counted once, by what the middleware decided.
		let sent = 0;
		for (; sent < InboundConfig.escalation.strikesToKick && client.kickReason() === undefined; sent++) {
			remove.FireServer(string.rep("x", 2000), "no-such-placement");
			Headless.frames(2);
		}
		Headless.frames(4);
		expect(sent).toBe(InboundConfig.escalation.strikesToKick);
		const report = gate.playerReport(8108)!;
		expect(report.accepted + report.rateLimited + report.malformed).toBe(sent);
		expect(client.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		const kick = systems.moderation.readLog(8108).find((entry) => entry.action === "kick")!;
		expect(kick.detail).toContain("request id of removeObject that is not a number");
	});

	it("kicks a sustained flood past the rate limit", () => {
		const { client } = joinBuilder(world, server, 8107, "Spammer");
		const remove = remoteOf(client, "removeObject");
		const perFrame = math.ceil(InboundConfig.escalation.rateLimitedToKick / 30);
		for (let frame = 0; frame < 40 && client.kickReason() === undefined; frame++) {
			for (let index = 0; index < perFrame; index++) remove.FireServer(frame * perFrame + index, "nope");
			Headless.frames(1);
		}
		Headless.frames(3);
		expect(client.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		expect(systems.moderation.readLog(8107).find((entry) => entry.action === "kick")!.rule).toBe("inbound-flood");
	});

	it("removes a player it kicked again as they rejoin within the block, and carries a rejoiner's strikes over", () => {
		const first = joinBuilder(world, server, 8109, "Rejoiner").client;
		// Firing a server→client remote is a strike, never rate-limited.
		const pong = remoteOf(first, "pong");
		for (let index = 0; index < InboundConfig.escalation.strikesToKick && first.kickReason() === undefined; index++) pong.FireServer(index, 0, 60);
		Headless.frames(3);
		expect(first.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		Headless.seconds(30);
		const again = world.join(server, { userId: 8109, name: "Rejoiner" });
		Headless.frames(3);
		expect(again.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		const kicks = systems.moderation.readLog(8109).filter((entry) => entry.action === "kick");
		expect(kicks.size()).toBe(2);
		expect(kicks[1]).toMatchObject({ rule: "inbound-garbage" });
		expect(kicks[1].detail).toMatch("^rejoined 3%d s after being removed");

		// Strikes short of a kick, a rejoin, and the rest: the rejoin forgave none of them.
		const half = InboundConfig.escalation.strikesToKick / 2;
		const before = joinBuilder(world, server, 8110, "Halfway").client;
		for (let index = 0; index < half; index++) remoteOf(before, "pong").FireServer(index, 0, 60);
		Headless.frames(2);
		before.disconnect();
		Headless.frames(2);
		const after = joinBuilder(world, server, 8110, "Halfway").client;
		for (let index = 0; index < half && after.kickReason() === undefined; index++) remoteOf(after, "pong").FireServer(index, 0, 60);
		Headless.frames(3);
		expect(after.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
		expect(gate.playerReport(8110)!.sealed).toBe(InboundConfig.escalation.strikesToKick);
	});
});
