import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { joinPlayer, startGameServer, storedBuild } from "../data-backup/backup-world";
import { journalOf, placeChair } from "./journal-world";

const PLAYER = 7401;

describe("a ProfileStore session taken over while the old server still has journal writes to retry", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("the old server's late writes never take the new session's revisions: every durable answer survives a crash, nothing of the old session comes back", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "old");
		joinPlayer(world, a.server, PLAYER);
		const answers: string[] = [];
		const durable = new Set<string>();
		const place = (server: HeadlessServer, index: number) => {
			const result = placeChair(server, PLAYER, index);
			if (!result.success) error([...a.server.output(), "----B", ...server.output()].filter((line) => line.find("ataStore")[0] === undefined).join("\n"));
			assert(result.success, `chair ${index} was refused`);
			answers.push(result.saved ?? "none");
			if (result.saved === "durable") durable.add(result.placementId);
			return result.placementId;
		};
		for (let index = 0; index < 2; index++) place(a.server, index);
		// A can neither save nor journal: two more changes wait in its memory, answered pending.
		a.server.dataStoreFaults().setFailureRate(1, 5);
		a.server.memoryStoreFaults().filter((request) => request.isWrite);
		a.server.memoryStoreFaults().setFailureRate(1, 6);
		const onlyOnA = [place(a.server, 2), place(a.server, 3)];
		expect(answers).toEqual(["durable", "durable", "pending", "pending"]);

		// The player moves to B, which takes the session over and loads what the journal holds.
		const b = startGameServer(world, dataStore, "new");
		joinPlayer(world, b.server, PLAYER, 240);
		// A's MemoryStore comes back: its retries run while B already holds the player.
		a.server.memoryStoreFaults().clear();
		Headless.seconds(20);
		for (let index = 4; index < 7; index++) place(b.server, index);
		expect([answers[4], answers[5], answers[6]]).toEqual(["durable", "durable", "durable"]);
		const onB = storedBuild(b.server, PLAYER).map((placement) => placement.id);

		Headless.crashServer(b.server);
		Headless.crashServer(a.server);
		const c = startGameServer(world, dataStore, "after");
		joinPlayer(world, c.server, PLAYER, 240);
		const build = storedBuild(c.server, PLAYER).map((placement) => placement.id);
		const present = new Set(build);
		const lost: string[] = [];
		for (const id of durable) if (!present.has(id)) lost.push(id);
		expect(lost).toEqual([]);
		// What loads is B's build: none of A's changes B never had, nothing twice.
		expect(onlyOnA.filter((id) => present.has(id))).toEqual([]);
		expect([...build].sort()).toEqual([...onB].sort());
		expect(journalOf(c.server).status().entriesReplayed).toBe(3);
	});
});
