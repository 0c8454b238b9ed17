import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, idsOf, joinPlayer, sessionStartedOn, startWithoutScheduledBackups, storedProfileRevision } from "../data-backup/backup-world";
import { journalOf, loadDecidedWithoutBackups, NOTHING_LOST, serverWithChanges } from "./journal-world";

const USER = 7150;

describe("a build restored from a backup whose profile save has not landed", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("keeps the journal's newest entry the backup covers: after a crash, a server that cannot read the backups waits instead of loading the profile behind them", () => {
		const dataStore = Headless.newDataStore();
		// A's profile saves never land; a backup covers its six durable placements and trims all but the newest entry.
		const a = serverWithChanges(world, USER, 6, dataStore, "backs-up", ({ server }) => {
			failProfileWrites(server);
		});
		expect(a.acked.answers.filter((answer) => answer !== "durable")).toEqual([]);
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		waitUntil(() => journalOf(a.server).status().entriesTrimmed === 5, 30, "the entries the backup covers to be trimmed");
		Headless.seconds(1);
		expect(a.server.memoryStoreUsage().items).toBe(1 + 1); // the newest covered entry and A's claim
		Headless.crashServer(a.server);

		// B restores the build from that backup, but no profile save of B's lands before it crashes.
		const b = startWithoutScheduledBackups(world, dataStore, "restores");
		// Every profile write of B's fails once the player's profile is loaded there (the session's lock gets through).
		failProfileWrites(b.server, { from: () => sessionStartedOn(b.server, USER) });
		joinPlayer(world, b.server, USER, 180);
		expect(b.server.output().join("\n")).toMatch("restored from backup");
		expect(a.acked.compare(idsOf(b.server, USER))).toEqual(NOTHING_LOST);
		Headless.seconds(10);
		expect(storedProfileRevision(b.server, USER)).toBe(0);
		Headless.crashServer(b.server);

		// C cannot read the backups: only the journal can tell it that the profile is behind one.
		const { build } = loadDecidedWithoutBackups(world, dataStore, USER);
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
	});
});
