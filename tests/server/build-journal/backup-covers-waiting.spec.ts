import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey } from "server/build-journal/journal-entry";
import type { PlaceResult } from "shared/placement/placement-types";
import { waitUntil, World } from "../../harness/world";
import { failProfileWrites, profileOn, switchOffScheduledBackups } from "../data-backup/backup-world";
import { loadDecidedWithoutBackups, placeChair, serverWithChanges } from "./journal-world";

const USER = 7135;

describe("a backup landing while a change waits for its journal write", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("answers the change pending: a crash and a load that cannot read the backups lose it", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER, 4, dataStore, "slow-journal", ({ systems }) => switchOffScheduledBackups(systems.backups));
		profileOn(a.server, USER).Save();
		waitUntil(() => a.server.memoryStoreUsage().items === 1, 30, "the journal to be trimmed after the save");
		failProfileWrites(a.server);
		// The fifth change's journal write takes 5 s and fails: longer than a change waits for its answer.
		a.server.memoryStoreFaults().filter((request) => request.key === journalKey(5));
		a.server.memoryStoreFaults().setLatency(5);
		a.server.memoryStoreFaults().setFailureRate(1, 37);
		let fifth: PlaceResult | undefined;
		task.spawn(() => (fifth = placeChair(a.server, USER, 4)));
		waitUntil(() => profileOn(a.server, USER).Data.buildRevision === 5, 5, "the fifth change");
		expect(a.systems.backups.forceBackup("incremental").success).toBe(true);
		waitUntil(() => fifth !== undefined, 10, "the fifth change's answer");
		assert(fifth!.success, "the fifth change was refused");
		// Only the backup holds it, and nothing in the journal shows a later server it must wait for the backups.
		expect(fifth!.saved).toBe("pending");
		Headless.crashServer(a.server);

		const { build } = loadDecidedWithoutBackups(world, dataStore, USER);
		expect(build.includes(fifth!.placementId)).toBe(false);
	});
});
