import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { InboundGateService } from "server/inbound-gate/inbound-gate-service";
import type * as GatedServer from "server/inbound-gate/gated-server";
import type { PlayerDataService } from "server/player-data/player-data-service";
import { catalogItems } from "shared/catalog/catalog";
import { kickMessage, KickReason } from "shared/kick-reason";
import { singletonOf, World } from "../../harness/world";
import { controllerOf, joinBuilder, PERMISSIVE, ServerSystems, systemsOf } from "../placement/placement-world";
import { buildPool, fireExactly, FuzzCall, FuzzTarget, makeCall, ValuePool } from "./remote-fuzz";

/**
 * Seeds run on every `npm test`. A failure names its seed and step and the calls that led to
 * it; to replay one, put its seed first here.
 */
const SEEDS = [20261130, 7];
const STEPS = 90;
const HOSTILE_CLIENTS = 3;
const CALLS_PER_STEP = 4;

interface Hostile {
	readonly client: HeadlessClient;
	readonly userId: number;
	readonly pool: ValuePool;
	readonly replicas: Map<string, RemoteEvent>;
}

describe("the project's own remote fuzzing: hostile clients against every remote of the contract", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: ServerSystems;
	let playerData: PlayerDataService;
	let gateService: InboundGateService;
	let honest: { client: HeadlessClient; controller: ReturnType<typeof controllerOf> };
	let targets: FuzzTarget[];
	let nextUserId = 7100;
	let honestPlaced = 0;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		playerData = singletonOf(server, "ServerScriptService.TS.player-data.player-data-service", "PlayerDataService");
		gateService = singletonOf(server, "ServerScriptService.TS.inbound-gate.inbound-gate-service", "InboundGateService");
		honest = joinBuilder(world, server, 7001, "Honest");
		for (let index = 0; index < 3; index++) honestPlace();
		// The contract as the server gated and sealed it: nothing here names a remote.
		const gate = server.requirePath("ServerScriptService.TS.inbound-gate.gated-server") as typeof GatedServer;
		targets = [
			...gate.gatedRemotes().map((remote): FuzzTarget => ({ name: remote.name, kind: remote.kind, contract: remote })),
			...gate.sealedRemoteList().map((remote): FuzzTarget => ({ name: remote.name, kind: "Sealed", sealed: remote })),
		];
	});
	afterAll(() => world.stop());

	function honestPlace() {
		Headless.seconds(1);
		const position = new Vector3(4 + (honestPlaced % 20) * 4, 0, 4 + math.floor(honestPlaced / 20) * 4);
		honestPlaced += 1;
		return honest.controller.place("lamp", position, 0);
	}

	function replicaOf(client: HeadlessClient, folderId: string, remoteId: string): RemoteEvent {
		const folder = client.game
			.GetService("ReplicatedStorage")
			.GetChildren()
			.find((child) => child.GetAttribute("id") === folderId)!;
		return folder.GetChildren().find((child) => child.GetAttribute("id") === remoteId) as RemoteEvent;
	}

	function joinHostile(random: Random): Hostile {
		const userId = nextUserId++;
		const client = world.join(server, { userId, name: `Hostile${userId}` });
		Headless.frames(2);
		const replicas = new Map<string, RemoteEvent>();
		for (const target of targets) {
			const where = target.contract ?? target.sealed!;
			replicas.set(target.name, replicaOf(client, where.folderId, where.remoteId));
		}
		const others = client.game
			.GetService("Players")
			.GetPlayers()
			.filter((player) => player.UserId !== userId);
		const foreignIds: string[] = [];
		for (const [id] of systems.tracker.ownedBy(7001)) foreignIds.push(id);
		const foreignInstances: Instance[] = [...others, client.game.GetService("Workspace")];
		const pool = buildPool(random, catalogItems().map((item) => item.id), foreignInstances, foreignIds);
		return { client, userId, pool, replicas };
	}

	function send(hostile: Hostile, target: FuzzTarget, call: FuzzCall, requestId: number) {
		const remote = hostile.replicas.get(target.name)!;
		fireExactly(remote, target.kind === "Function" ? [requestId] : [], call.args, call.count);
	}

	function idsOf(map: ReadonlyMap<string, unknown>): string {
		const ids: string[] = [];
		for (const [id] of map) ids.push(id);
		ids.sort();
		return ids.join(",");
	}

	/** Every call the gate saw, whatever it decided. */
	function gateTotal(): number {
		const total = gateService.report().total;
		return total.accepted + total.rateLimited + total.overBudget + total.malformed + total.sealed + total.blocked;
	}

	/** The invariants after every step: one truth on the server, in profiles and in every client's view; no errors; a quiet log. */
	function checkInvariants(context: () => string, clients: HeadlessClient[], errorsBefore: number) {
		if (server.threadErrorCount() !== errorsBefore) error(`thread error on the server; ${context()}`);
		for (const [player, profile] of playerData.loadedProfiles()) {
			const stored = new Map<string, boolean>();
			for (const placement of profile.Data.placements) stored.set(placement.id, true);
			const tracked = idsOf(systems.tracker.ownedBy(player.UserId));
			if (idsOf(stored) !== tracked) error(`profile of ${player.UserId} differs from the tracker; ${context()}`);
		}
		for (const client of clients) {
			if (!client.isAlive() || client.kickReason() !== undefined) continue;
			if (client.threadErrorCount() > 0) error(`thread error on ${client.name}; ${context()}`);
			const userId = client.player.UserId;
			const view = idsOf(controllerOf(client).ownObjects());
			if (view !== idsOf(systems.tracker.ownedBy(userId))) error(`${client.name}'s view differs from the tracker; ${context()}`);
		}
		const noisy = server.output().find((line) => line.find("invocation queue exhausted")[0] !== undefined || line.find("Failed to process")[0] !== undefined);
		if (noisy !== undefined) error(`the server log is not quiet: ${noisy}; ${context()}`);
	}

	it("enumerates every remote of the networking contract from the server's own gate", () => {
		const names = targets.map((target) => `${target.kind}:${target.name}`);
		for (const expected of ["Function:placeObject", "Function:removeObject", "Event:ping", "Sealed:pong", "Sealed:objectPlaced"]) {
			expect(names).toContain(expected);
		}
	});

	it.each(SEEDS)("seed %d: every malformed kind and random valid calls from several hostile clients at once", (seed) => {
		const random = new Random(seed);
		const errorsBefore = server.threadErrorCount();
		const hostiles: Hostile[] = [];
		for (let index = 0; index < HOSTILE_CLIENTS; index++) hostiles.push(joinHostile(random));
		const kicked: Hostile[] = [];
		let requestId = 0;
		for (let step = 1; step <= STEPS; step++) {
			const sent: string[] = [];
			const seenBefore = gateTotal();
			for (const hostile of hostiles) {
				for (let index = random.NextInteger(1, CALLS_PER_STEP); index > 0; index--) {
					const target = targets[random.NextInteger(0, targets.size() - 1)];
					const call = makeCall(random, hostile.pool, target);
					sent.push(`${hostile.userId} ${call.target} (${call.shape})`);
					send(hostile, target, call, requestId++);
				}
			}
			Headless.frames(3);
			const context = () => `seed ${seed} step ${step}; calls this step:\n  ${sent.join("\n  ")}`;
			checkInvariants(context, [honest.client, ...hostiles.map((hostile) => hostile.client)], errorsBefore);
			// Every call met the gate: nothing reached the server around it. (The clients' own scripts
			// may add a latency probe each.)
			const seen = gateTotal() - seenBefore;
			if (seen < sent.size() || seen > sent.size() + 1 + hostiles.size()) {
				error(`the gate saw ${seen} calls for ${sent.size()} sent; ${context()}`);
			}
			hostiles.forEach((hostile, index) => {
				if (hostile.client.kickReason() === undefined) return;
				kicked.push(hostile);
				hostiles[index] = joinHostile(random);
			});
			if (step % 30 === 0) {
				const result = honestPlace();
				if (!result.success) error(`the honest builder was refused (${result.reason}); ${context()}`);
			}
		}
		Headless.frames(3);
		checkInvariants(() => `seed ${seed} after the run`, [honest.client, ...hostiles.map((hostile) => hostile.client)], errorsBefore);
		expect(honest.client.kickReason()).toBeUndefined();
		// Garbage gets a hostile client removed, with the reason on their screen and in the moderation log.
		expect(kicked.size()).toBeGreaterThan(0);
		for (const hostile of kicked) {
			expect(hostile.client.kickReason()).toBe(kickMessage(KickReason.HostileTraffic));
			const entry = systems.moderation.readLog(hostile.userId).find((logged) => logged.action === "kick");
			expect(entry?.rule.sub(1, 8)).toBe("inbound-");
		}
		// Every remote was probed and every refusal counted, per remote.
		const report = gateService.report();
		for (const target of targets) {
			const counters = report.byRemote.get(target.name);
			expect(counters).toBeDefined();
			if (target.kind === "Sealed") expect(counters!.sealed).toBeGreaterThan(0);
			else expect(counters!.malformed).toBeGreaterThan(0);
		}
		for (const hostile of hostiles) hostile.client.disconnect();
		Headless.frames(2);
	});
});
