import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalMapName } from "server/build-journal/journal-entry";
import { DataStoreNames } from "shared/config/data-stores";
import { kickMessage, KickReason } from "shared/kick-reason";
import { waitUntil, World } from "../../harness/world";
import { systemsOf } from "../placement/placement-world";
import { idsOf, joinPlayer, startGameServer } from "../data-backup/backup-world";
import { journalOf, loadAfterBothCrash, NOTHING_LOST, placeChair, startTakingOver, startUnawareServer } from "./journal-world";

const PLAYER = 7401;

/** Crashes both servers, loads the player on a third one; its build, and which durable answers it lost. */
function loadAfterBothCrashWithLost(world: World, dataStore: HeadlessDataStore, first: HeadlessServer, second: HeadlessServer, durable: ReadonlySet<string>) {
	const { c, build } = loadAfterBothCrash(world, dataStore, first, second, PLAYER);
	const present = new Set(build);
	const lost: string[] = [];
	for (const id of durable) if (!present.has(id)) lost.push(id);
	return { c, build, present, lost };
}

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
		// A found the journal held by B: the entries are B's to count and trim, A counts nothing of them.
		expect(journalOf(a.server).status().bytesUsed).toBe(0);
		// Its two changes that never reached the journal are answered pending and no longer waited for.
		expect(journalOf(a.server).status().pendingPlayers).toBe(0);
		for (let index = 4; index < 7; index++) place(b.server, index);
		expect([answers[4], answers[5], answers[6]]).toEqual(["durable", "durable", "durable"]);
		const onB = idsOf(b.server, PLAYER);

		const { c, build, present, lost } = loadAfterBothCrashWithLost(world, dataStore, b.server, a.server, durable);
		expect(lost).toEqual([]);
		// What loads is B's build: none of A's changes B never had, nothing twice.
		expect(onlyOnA.filter((id) => present.has(id))).toEqual([]);
		expect([...build].sort()).toEqual([...onB].sort());
		expect(journalOf(c.server).status().entriesReplayed).toBe(3);
	});
});

describe("a change the old server journals after the new server has loaded the player", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is answered pending or replayed, never durable and then overwritten: a third server loads every durable change", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "old");
		joinPlayer(world, a.server, PLAYER);
		const durable = new Set<string>();
		const answersOf = new Map<string, string>();
		const place = (server: HeadlessServer, index: number) => {
			const result = placeChair(server, PLAYER, index);
			if (!result.success) return undefined;
			answersOf.set(result.placementId, result.saved ?? "none");
			if (result.saved === "durable") durable.add(result.placementId);
			return result.placementId;
		};
		for (let index = 0; index < 2; index++) place(a.server, index);
		// A cannot save and misses ProfileStore's messages, so it never learns that its session was
		// taken (and keeps the player); its journal works.
		a.server.dataStoreFaults().setFailureRate(1, 5);
		a.server.setDropsMessages(true);
		place(a.server, 2);

		const b = startGameServer(world, dataStore, "new");
		joinPlayer(world, b.server, PLAYER, 240);
		const loadedOnB = idsOf(b.server, PLAYER);
		// B has read the journal and holds the player; A still believes it does and journals a change.
		const late = place(a.server, 3);
		for (let index = 4; index < 7; index++) place(b.server, index);
		const onB = idsOf(b.server, PLAYER);

		const { build, present, lost } = loadAfterBothCrashWithLost(world, dataStore, b.server, a.server, durable);
		expect(loadedOnB.size()).toBe(3);
		expect(lost).toEqual([]);
		expect(build.size()).toBe(present.size());
		// The late change is either refused or answered pending on A (B never had it), or B has it.
		if (late !== undefined && answersOf.get(late) === "durable") expect(onB.includes(late)).toBe(true);
		// Here B claimed the journal long before: A's write meets the claim and answers pending.
		expect(late !== undefined ? answersOf.get(late) : "refused").toBe("pending");
		expect(journalOf(a.server).changeRefusal(PLAYER)).toBeDefined();
		expect([...build].sort()).toEqual([...onB].sort());
	});
});

describe("a change the old server journals between the new server's read of the journal and its claim", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is replayed by the new server before the player gets the build, and a third server loads it", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "old");
		joinPlayer(world, a.server, PLAYER);
		for (let index = 0; index < 2; index++) expect(placeChair(a.server, PLAYER, index).success).toBe(true);
		a.server.dataStoreFaults().setFailureRate(1, 5);
		a.server.setDropsMessages(true);

		const b = startGameServer(world, dataStore, "new");
		// B's MemoryStore requests take 2 s: its claim lands 2 s after its read of the journal returned.
		b.server.memoryStoreFaults().setLatency(2);
		world.join(b.server, { userId: PLAYER, name: `Builder${PLAYER}`, runScripts: false });
		const journalOnB = journalOf(b.server);
		// B's first journal requests are the load's read and, right after it returns, the claim.
		waitUntil(() => journalOnB.status().requestUnitsLastMinute > 0, 240, "the new server to read the journal");
		const late = placeChair(a.server, PLAYER, 2);
		assert(late.success, "the late chair was refused");
		expect(late.saved).toBe("durable");
		waitUntil(() => systemsOf(b.server).builds.isLoaded(PLAYER), 60, "the build to load on the new server");
		const onB = idsOf(b.server, PLAYER);
		expect(onB.includes(late.placementId)).toBe(true);
		expect(b.server.output().join("\n")).toMatch("1 journal entries written since the load's read replayed");

		const { build } = loadAfterBothCrashWithLost(world, dataStore, b.server, a.server, new Set());
		expect([...build].sort()).toEqual([...onB].sort());
	});
});

describe("an old server whose profile save lands after the new session stored the player's build", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("answers the change it was still journaling pending, not durable: a third server loads every durable change", () => {
		const dataStore = Headless.newDataStore();
		const a = startUnawareServer(world, dataStore, PLAYER, 2);
		const acked = a.acked;
		// The player moves to B, builds there and leaves: B's leave save stores its session's build at revision 4.
		const b = startTakingOver(world, dataStore);
		const onB = joinPlayer(world, b.server, PLAYER, 240);
		for (let index = 2; index < 4; index++) acked.place(b.server, PLAYER, index);
		onB.disconnect();
		waitUntil(() => b.server.memoryStoreUsage().items === 0, 120, "B's leave save to trim its journal");
		expect(acked.answers).toEqual(["durable", "durable", "durable", "durable"]);

		// A's profile saves land again, 2 s after they start, and its next journal write fails, which
		// asks for one. Then A's journal requests take 5 s, longer than a change waits for its
		// answer: the retry and the next change's write are still under way when that save lands
		// and reports B's build (revision 4, B's session) as the stored data.
		const profileWrites = a.server.dataStoreFaults();
		profileWrites.clear();
		profileWrites.filter((request) => request.name === DataStoreNames.playerData && request.isWrite);
		profileWrites.setLatency(2);
		a.server.memoryStoreFaults().failNext(1);
		const first = placeChair(a.server, PLAYER, 4);
		a.server.memoryStoreFaults().setLatency(5);
		// The failed write's retry starts after 1 s: until then a new change would only wait for it.
		Headless.seconds(1.1);
		const second = placeChair(a.server, PLAYER, 5);
		assert(first.success && second.success, "A refused a change outright");
		// The save landed while the second change waited: A has already told the player its session ended.
		expect(a.client.kickReason()).toBe(kickMessage(KickReason.ProfileSessionEnded));
		expect([first.saved, second.saved]).toEqual(["pending", "pending"]);
		// A's session was taken over: it counts none of the journal's bytes against its budget, and
		// once its writes under way have landed it claims the journal no more (B released its own claim
		// when the player left).
		expect(journalOf(a.server).usage().bytesUsed).toBe(0);
		Headless.seconds(15);
		const journalMap = a.server.game.GetService("MemoryStoreService").GetSortedMap(journalMapName(PLAYER));
		expect(journalMap.GetAsync("claim")[0]).toBeUndefined();

		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, PLAYER);
		expect(acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(4);
	});
});
