import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { RecoveryReport } from "server/data-backup/backup-types";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, profileOn, startWithoutScheduledBackups, switchOffScheduledBackups } from "../data-backup/backup-world";
import { loadAfterBothCrash, loadDecidedWithoutBackups, NOTHING_LOST, serverWithChanges, startTakingOver } from "./journal-world";

const PLAYER = 7311;
const TAKEN_OVER = 7312;

/**
 * A recovers `PLAYER` while its profile writes fail; a backup of the recovered build lands while
 * the recovery waits for its save. Returns A, the report, and the recovered build's ids.
 */
function recoveryCoveredByABackup(world: World, dataStore: HeadlessDataStore) {
	const a = serverWithChanges(world, PLAYER, 4, dataStore, "recovers", undefined, startWithoutScheduledBackups);
	const { acked, ids } = a;
	expect(a.systems.backups.forceBackup("full").success).toBe(true);
	const recovered = idsOf(a.server, PLAYER).sort();
	acked.place(a.server, PLAYER, 4);
	acked.place(a.server, PLAYER, 5);
	acked.remove(a.server, PLAYER, ids[0]);
	// Every change so far is in a landed profile save: the journal holds only the session's claim.
	profileOn(a.server, PLAYER).Save();
	waitUntil(() => a.server.memoryStoreUsage().items === 1, 30, "the journal to be trimmed after the save");
	const revision = profileOn(a.server, PLAYER).Data.buildRevision;
	const saved = idsOf(a.server, PLAYER).sort();

	failProfileWrites(a.server);
	let report: RecoveryReport | undefined;
	task.spawn(() => (report = a.systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: PLAYER })));
	waitUntil(() => profileOn(a.server, PLAYER).Data.buildRevision === revision + 1, 10, "the build to be replaced");
	expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
	waitUntil(() => report !== undefined, 10, "the recovery's answer");
	return { a, report: report!, recovered, saved };
}

describe("a recovery whose save fails while a backup of the recovered build lands", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is answered pending: a crash and a load that cannot read the backups bring back the build as last saved", () => {
		const dataStore = Headless.newDataStore();
		const { a, report, recovered, saved } = recoveryCoveredByABackup(world, dataStore);
		expect(report.players[0].status).toBe("recovered");
		expect(idsOf(a.server, PLAYER)).toEqual(recovered);
		expect(report.players[0].saved).toBe("pending");
		Headless.crashServer(a.server);

		const { build } = loadDecidedWithoutBackups(world, dataStore, PLAYER);
		expect(build.sort()).toEqual(saved);
	});
});

describe("a recovery on a server whose session another server has taken over without it knowing", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("is answered pending, not durable on the strength of that server's own backup", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, TAKEN_OVER, 4, dataStore, "old", ({ systems }) => switchOffScheduledBackups(systems.backups));
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		const recovered = idsOf(a.server, TAKEN_OVER).sort();
		a.acked.place(a.server, TAKEN_OVER, 4);
		profileOn(a.server, TAKEN_OVER).Save();
		waitUntil(() => a.server.memoryStoreUsage().items === 1, 30, "the journal to be trimmed after the save");
		const revision = profileOn(a.server, TAKEN_OVER).Data.buildRevision;
		// From here A's profile saves never land and it misses every message.
		failProfileWrites(a.server);
		a.server.setDropsMessages(true);

		const b = startTakingOver(world, dataStore);
		joinPlayer(world, b.server, TAKEN_OVER, 240);
		a.acked.place(b.server, TAKEN_OVER, 5);
		expect(a.acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable", "durable"]);

		let report: RecoveryReport | undefined;
		task.spawn(() => (report = a.systems.systems.recoverFromBackup("LATEST", { kind: "player", userId: TAKEN_OVER })));
		waitUntil(() => profileOn(a.server, TAKEN_OVER).Data.buildRevision === revision + 1, 10, "A's build to be replaced");
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		waitUntil(() => report !== undefined, 10, "the recovery's answer");
		expect(report!.players[0]).toMatchObject({ status: "recovered", saved: "pending" });

		// The next server loads B's build, with every change answered durable; the recovery on A is gone.
		const { build } = loadAfterBothCrash(world, dataStore, a.server, b.server, TAKEN_OVER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect([...build].sort()).never.toEqual(recovered);
	});
});
