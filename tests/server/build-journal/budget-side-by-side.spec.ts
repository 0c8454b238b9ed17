import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../../harness/world";
import { joinPlayer, startGameServer } from "../data-backup/backup-world";
import { QuotaWatch } from "../data-backup/quota-watch";
import { Acknowledged, journalOf, placeChair } from "./journal-world";

describe("journal writes under way side by side near the memory budget", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("two players' changes in one batch, room for one of them: the other is not written, and the MemoryStore never holds more than the budget", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		const players = [7831, 7832];
		for (const userId of players) joinPlayer(world, server, userId);
		const journal = journalOf(server);
		const acked = new Acknowledged();
		const claimsBytes = journal.usage().bytesUsed;
		for (const userId of players) acked.place(server, userId, 0);
		const entryBytes = (journal.usage().bytesUsed - claimsBytes) / 2;
		journal.configure({ memoryBaseShareBytes: 0, memoryPerPlayerBytes: math.floor((journal.usage().bytesUsed + 1.5 * entryBytes) / 2) });
		// Both in this cycle: one batch, each player's write on its own thread.
		for (const userId of players) task.spawn(() => acked.placed(placeChair(server, userId, 1)));
		const watch = new QuotaWatch();
		watch.watch(server);
		Headless.frames(120);
		expect(watch.peakBytes).toBeLessThanOrEqual(journal.usage().memoryBudgetBytes);
		// The one written answered durable, the other pending (in the order they were answered).
		expect(acked.answers.filter((answer) => answer === "pending").size()).toBe(1);
	});
});
