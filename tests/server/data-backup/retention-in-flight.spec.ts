import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { BackupResult } from "server/data-backup/backup-types";
import { BackupLimits } from "shared/config/backup-config";
import { DataStoreNames } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { NOTHING_LOST, serverWithChanges } from "../build-journal/journal-world";
import { failProfileWrites, loadOnFreshServer, startWithoutScheduledBackups } from "./backup-world";

const PLAYER = 7951;
/** Each manifest attempt while the DataStore is slow takes this long before it fails. */
const SLOW_SECONDS = 200;
/** Jest's test timeout runs on the virtual clock: the backup takes over 15 minutes. */
const TIMEOUT_MS = 3600 * 1000;

describe("the orphan sweep and this server's backup still being written", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a backup whose manifest write is retried past the orphan grace: the sweep leaves its chunks, and the backup it lands holds the changes it trimmed from the journal", () => {
		const dataStore = Headless.newDataStore();
		// Profile writes fail, and so does each manifest write while `slowManifest` is set, each
		// after SLOW_SECONDS; the index and chunk writes land at once.
		let slowManifest = true;
		const manifestWrites = (request: HeadlessDataStoreRequest) => slowManifest && request.name === DataStoreNames.backups && request.key === "manifest" && request.isWrite;
		const a = serverWithChanges(
			world,
			PLAYER,
			3,
			dataStore,
			"slow-manifest",
			({ server }) => failProfileWrites(server, { alsoFailing: manifestWrites }).setLatency(SLOW_SECONDS),
			startWithoutScheduledBackups,
		);
		const { acked } = a;
		expect(acked.answers).toEqual(["durable", "durable", "durable"]);

		let backup: BackupResult | undefined;
		task.spawn(() => (backup = a.systems.backups.forceBackup("full")));
		// Its fifth manifest attempt is under way when the hourly sweep runs, past the grace.
		Headless.skipTime(BackupLimits.orphanGraceSeconds + 5);
		expect(backup).toBe(undefined);
		const sweep = a.systems.backups.runRetention()!;
		slowManifest = false;
		waitUntil(() => backup !== undefined, 300, "A's backup");
		expect(backup!.success).toBe(true);
		Headless.seconds(2);
		Headless.crashServer(a.server);

		const loaded = acked.compare(loadOnFreshServer(world, dataStore, PLAYER).build);
		expect({ ...loaded, orphansDeleted: sweep.orphansDeleted }).toEqual({ ...NOTHING_LOST, orphansDeleted: 0 });
	}, TIMEOUT_MS);
});
