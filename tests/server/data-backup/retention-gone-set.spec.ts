import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { RetentionReport } from "server/data-backup/backup-retention";
import { BackupLimits } from "shared/config/backup-config";
import { waitUntil, World } from "../../harness/world";
import { NOTHING_LOST, serverWithChanges } from "../build-journal/journal-world";
import { failProfileWrites, loadOnFreshServer, startGameServer, startWithoutScheduledBackups, untilBucketCloses } from "./backup-world";

const PLAYER = 7961;
/** Jest's test timeout runs on the virtual clock: this spec jumps past the lookback. */
const TIMEOUT_MS = 8 * 24 * 3600 * 1000;

describe("retention of a set whose server looked gone but is alive", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a server that committed no backup for the whole lookback backs up while another server's retention deletes its set: the backup survives", () => {
		const dataStore = Headless.newDataStore();
		// A takes backups only when forced: none for days, as when its backups keep failing.
		const a = serverWithChanges(world, PLAYER, 3, dataStore, "quiet-for-days", undefined, startWithoutScheduledBackups);
		const { acked } = a;
		expect(a.systems.backups.forceBackup("full").success).toBe(true);
		const setOfA = a.systems.backups.status().setId;

		// Half an hour before A's set looks gone to other servers (its newest backup older than the
		// oldest bucket a load reads), A's own hourly retention comes due: it leaves A's record in
		// that bucket alone for now.
		const gone = BackupLimits.indexLookbackSeconds + untilBucketCloses() + 60;
		Headless.skipTime(gone - 1800);
		Headless.seconds(5);
		Headless.skipTime(1800);
		const r = startGameServer(world, dataStore, "runs-retention");
		// R's removal of A's manifest takes 30 s to land, after R read it.
		let removing = false;
		r.server.dataStoreFaults().filter((request) => {
			const match = request.scope === setOfA && request.key === "manifest" && request.operation === "RemoveAsync";
			if (match) removing = true;
			return match;
		});
		r.server.dataStoreFaults().setLatency(30);
		let report: RetentionReport | undefined;
		task.spawn(() => (report = r.systems.backups.runRetention()));
		waitUntil(() => removing, 60, "R to decide A's set is gone");

		// Meanwhile A, alive after all, cannot save profiles; two more chairs (durable) and an
		// incremental backup that lands and trims the journal it covers.
		failProfileWrites(a.server);
		for (let index = 3; index < 5; index++) acked.place(a.server, PLAYER, index);
		expect(acked.answers.every((saved) => saved === "durable")).toBe(true);
		expect(a.systems.backups.forceBackup().success).toBe(true);
		waitUntil(() => report !== undefined, 120, "R's retention run");
		Headless.seconds(2);
		Headless.crashServer(a.server);

		// R deleted the set it took for gone.
		const loaded = acked.compare(loadOnFreshServer(world, dataStore, PLAYER).build);
		expect({ ...loaded, setsDeleted: report!.setsDeleted }).toEqual({ ...NOTHING_LOST, setsDeleted: 1 });
	}, TIMEOUT_MS);
});
