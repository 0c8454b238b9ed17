import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { kickMessage, KickReason } from "shared/kick-reason";
import type { PlaceResult } from "shared/placement/placement-types";
import { waitUntil, World } from "../../harness/world";
import { NOTHING_LOST, placeChair, serverWithChanges } from "../build-journal/journal-world";
import { loadOnFreshServer, profileOn } from "../data-backup/backup-world";

const USER_ID = 5311;

describe("maintenanceShutdown while the DataStore refuses every write", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a placement answered durable while the kick lands survives the failed backups, the failed leave save and the shutdown", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithChanges(world, USER_ID, 3, dataStore, "maintained");
		let savedRevision = -1;
		profileOn(a.server, USER_ID).OnAfterSave.Connect((data) => (savedRevision = data.buildRevision));
		profileOn(a.server, USER_ID).Save();
		waitUntil(() => savedRevision === 3, 30, "the profile save to land");
		a.acked.remove(a.server, USER_ID, a.ids[1]);

		a.server.dataStoreFaults().filter((request) => request.isWrite);
		a.server.dataStoreFaults().setFailureRate(1, 11);
		// The placement is made just before the kick and waits for its journal write while the kick lands.
		a.server.memoryStoreFaults().setLatency(1);
		let placed: PlaceResult | undefined;
		const connection = a.systems.backups.backupFinished.Connect(() => {
			connection.Disconnect();
			task.spawn(() => (placed = placeChair(a.server, USER_ID, 7)));
		});
		let backup: ReturnType<typeof a.systems.systems.maintenanceShutdown> | undefined;
		task.spawn(() => (backup = a.systems.systems.maintenanceShutdown()));
		waitUntil(() => placed !== undefined && backup !== undefined, 120, "the placement's answer and the maintenance backup");
		expect(backup!.success).toBe(false);
		// The backup failed: the message does not say the build is saved.
		expect(a.client.kickReason()).toBe(kickMessage(KickReason.MaintenanceBackupFailed));
		a.acked.placed(placed!);
		expect(a.acked.answers).toEqual(["durable", "durable", "durable", "durable", "durable"]);

		Headless.seconds(20);
		Headless.stopServer(a.server);

		const { build } = loadOnFreshServer(world, dataStore, USER_ID, "after-maintenance");
		expect(a.acked.compare(build)).toEqual(NOTHING_LOST);
		expect(build.size()).toBe(3);
	});
});
