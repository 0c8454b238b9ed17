import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { BuildLoadService } from "server/build-loading/build-load-service";
import { DataStoreNames } from "shared/config/data-stores";
import { singletonOf, waitUntil, World } from "../../harness/world";
import { idsOf, joinPlayer, startGameServer } from "../data-backup/backup-world";
import { Acknowledged, journalOf } from "./journal-world";

const USER = 7140;

describe("the build journal across a hand-over", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("keeps the journal entries of a handed-over build until a save covers them: a crash before any save loses nothing", () => {
		const dataStore = Headless.newDataStore();
		const a = startGameServer(world, dataStore, "hands-over");
		const client = joinPlayer(world, a.server, USER);
		const acked = new Acknowledged();
		const ids: string[] = [];
		for (let index = 0; index < 4; index++) ids.push(acked.place(a.server, USER, index));
		acked.remove(a.server, USER, ids[0]);

		// Nothing reaches the DataStore from here but the rejoin's session lock: backups fail, and
		// the leave save fails until the player is back, then every profile write fails again.
		const faults = a.server.dataStoreFaults();
		let allowed = 0;
		let profileWriteFailures = 0;
		faults.filter((request) => {
			if (request.name === DataStoreNames.backups) return true;
			if (request.name !== DataStoreNames.playerData || !request.isWrite) return false;
			if (allowed > 0) {
				allowed -= 1;
				return false;
			}
			profileWriteFailures += 1;
			return true;
		});
		faults.setFailureRate(1, 3);
		client.disconnect();
		waitUntil(() => profileWriteFailures >= 2, 60, "the leave save to fail");
		// One profile write gets through: the rejoining session's lock.
		allowed = 1;
		world.join(a.server, { userId: USER, name: `Builder${USER}`, runScripts: false });
		const loader = singletonOf<BuildLoadService>(a.server, "ServerScriptService.TS.build-loading.build-load-service", "BuildLoadService");
		waitUntil(() => a.systems.builds.isLoaded(USER), 120, "the rejoin to load");
		expect(loader.decisionOf(USER)!.origin).toBe("handover");
		acked.place(a.server, USER, 4);
		expect(acked.answers.filter((answer) => answer !== "durable")).toEqual([]);
		// The handed-over changes are still journaled: the stored profile has none of them.
		expect(a.server.memoryStoreUsage().items).toBe(6 + 1); // + the session's claim on the journal
		expect(journalOf(a.server).status().entriesTrimmed).toBe(0);

		Headless.crashServer(a.server);
		const b = startGameServer(world, dataStore, "takes-over");
		joinPlayer(world, b.server, USER, 180);
		const build = idsOf(b.server, USER);
		expect(acked.compare(build)).toEqual({ lost: 0, resurrected: 0, duplicated: 0 });
		expect(build.size()).toBe(4);
	});
});
