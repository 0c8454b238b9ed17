import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames } from "shared/config/data-stores";
import { World } from "../../harness/world";
import { idsOf, joinPlayer, profileOn, startGameServer, storedBuild } from "../data-backup/backup-world";
import { QuotaWatch } from "../data-backup/quota-watch";
import { journalOf, placeChair, removeObject } from "./journal-world";

interface Change {
	readonly kind: "place" | "remove";
	readonly id: string;
	readonly revision: number;
	readonly answer: string;
}

/**
 * One seeded schedule: the MemoryStore fails a share of requests and is slow, the DataStore fails
 * half of the profile and backup requests with 5 s of latency, the player places and removes at
 * a steady pace and the server crashes at a seeded moment. Every change that was durable at the
 * crash must be in the next server's build; every removal that was durable must stay removed.
 */
function runSchedule(world: World, seed: number, watch: QuotaWatch) {
	const random = new Random(seed);
	const userId = 7200 + seed;
	const dataStore = Headless.newDataStore();
	const a = startGameServer(world, dataStore, `schedule-${seed}`);
	watch.watch(a.server);
	joinPlayer(world, a.server, userId);
	const journal = journalOf(a.server);
	journal.configure({ refuseAfterSeconds: 1e6 });

	const memory = a.server.memoryStoreFaults();
	memory.setFailureRate(0.3, seed);
	memory.setLatency(random.NextNumber(0.2, 2));
	const dataStoreFaults = a.server.dataStoreFaults();
	dataStoreFaults.filter((request) => request.name === DataStoreNames.playerData || request.name === DataStoreNames.backups);
	dataStoreFaults.setFailureRate(0.5, seed);
	dataStoreFaults.setLatency(5);

	const changes: Change[] = [];
	const standing: string[] = [];
	const steps = random.NextInteger(15, 30);
	for (let step = 0; step < steps; step++) {
		Headless.seconds(random.NextNumber(1, 4));
		if (standing.size() > 3 && random.NextNumber() < 0.35) {
			const id = standing.remove(random.NextInteger(0, standing.size() - 1))!;
			const result = removeObject(a.server, userId, id);
			assert(result.success, "the removal was refused");
			changes.push({ kind: "remove", id, revision: profileOn(a.server, userId).Data.buildRevision, answer: result.saved ?? "none" });
		} else {
			const result = placeChair(a.server, userId, step);
			if (!result.success) continue;
			standing.push(result.placementId);
			changes.push({ kind: "place", id: result.placementId, revision: profileOn(a.server, userId).Data.buildRevision, answer: result.saved ?? "none" });
		}
	}
	const durableAtCrash = changes.filter((change) => journal.durabilityOf(userId, change.revision) === "durable");
	Headless.crashServer(a.server);

	const b = startGameServer(world, dataStore, `after-${seed}`);
	watch.watch(b.server);
	joinPlayer(world, b.server, userId, 240);
	const build = new Set(idsOf(b.server, userId));
	const removedIds = new Set(changes.filter((change) => change.kind === "remove").map((change) => change.id));
	let lost = 0;
	let resurrected = 0;
	for (const change of durableAtCrash) {
		if (change.kind === "place" && !removedIds.has(change.id) && !build.has(change.id)) lost += 1;
		if (change.kind === "remove" && build.has(change.id)) resurrected += 1;
	}
	return {
		lost,
		resurrected,
		duplicated: storedBuild(b.server, userId).size() - build.size(),
		changes: changes.size(),
		placements: changes.filter((change) => change.kind === "place").size(),
		removals: changes.filter((change) => change.kind === "remove").size(),
		durable: durableAtCrash.size(),
		durableAnswersNotDurable: changes.filter((change) => change.answer === "durable" && !durableAtCrash.includes(change)).size(),
	};
}

describe("the build journal under seeded fault schedules", () => {
	const world = new World();
	afterEach(() => world.stop());

	for (const seed of [1, 2]) {
		it(`schedule ${seed}: nothing durable is lost or comes back after a crash`, () => {
			const watch = new QuotaWatch();
			const outcome = runSchedule(world, seed, watch);
			expect(outcome.lost).toBe(0);
			expect(outcome.resurrected).toBe(0);
			expect(outcome.duplicated).toBe(0);
			// An answer of "durable" stays true until the crash.
			expect(outcome.durableAnswersNotDurable).toBe(0);
			expect(outcome.durable).toBeGreaterThan(outcome.changes / 2);
			print(`fault schedule ${seed}: ${outcome.changes} changes, ${outcome.durable} durable at the crash, 0 lost, 0 resurrected`);
			watch.report(`journal fault schedule ${seed}`, outcome);
		});
	}
});
