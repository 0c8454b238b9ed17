import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { idsOf, joinPlayer, startGameServer } from "../data-backup/backup-world";
import { Acknowledged, journalOf, rejoinWithHandover } from "./journal-world";

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

		expect(rejoinWithHandover(world, a.server, client, USER).origin).toBe("handover");
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
