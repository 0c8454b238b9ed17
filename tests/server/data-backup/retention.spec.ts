import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { BackupManifest } from "server/data-backup/backup-types";
import { BackupLimits } from "shared/config/backup-config";
import { World } from "../../harness/world";
import { backupStore, joinPlayer, manifestOf, placeChairs, startGameServer, switchOffScheduledBackups } from "./backup-world";

const TALLY = { requests: 0, retries: 0 };

function keysOf(server: HeadlessServer, setId: string): string[] {
	const pages = backupStore(server, setId).ListKeysAsync(undefined, undefined, undefined, true);
	const keys: string[] = [];
	for (;;) {
		for (const key of pages.GetCurrentPage() as DataStoreKey[]) keys.push(key.KeyName);
		if (pages.IsFinished) break;
		pages.AdvanceToNextPageAsync();
	}
	keys.sort();
	return keys;
}

/** Every chunk the manifest lists, as keys. */
function referencedChunks(manifest: BackupManifest): string[] {
	const keys: string[] = [];
	for (const entry of manifest.entries) for (let index = 1; index <= entry.chunks; index++) keys.push(`${entry.id}/${index}`);
	return keys;
}

describe("backup retention across servers", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("deletes orphaned chunks and the sets of servers gone past the lookback, never anything still referenced", () => {
		const dataStore = Headless.newDataStore();
		const gone = startGameServer(world, dataStore, "gone");
		const quiet = startGameServer(world, dataStore, "quiet");
		const live = startGameServer(world, dataStore, "live");
		const servers = [gone, quiet, live];
		for (let index = 0; index < servers.size(); index++) {
			const { server, systems } = servers[index];
			switchOffScheduledBackups(systems.backups);
			joinPlayer(world, server, 6501 + index);
			placeChairs(server, 6501 + index, 3);
			expect(systems.backups.forceBackup("full").success).toBe(true);
			placeChairs(server, 6501 + index, 1, 3);
			expect(systems.backups.forceBackup().success).toBe(true);
		}
		const goneSet = gone.systems.backups.status().setId;
		const quietSet = quiet.systems.backups.status().setId;
		const liveSet = live.systems.backups.status().setId;
		Headless.crashServer(gone.server);

		// Orphans in the live set: one from a backup long finished, one from a backup in progress.
		const store = backupStore(live.server, liveSet);
		const orphan = `${os.time() - BackupLimits.orphanGraceSeconds - 60}_99/1`;
		const inProgress = `${os.time()}_98/1`;
		store.SetAsync(orphan, "left by a manifest write reported as failed");
		store.SetAsync(inProgress, "chunk of a backup still being written");
		const first = live.systems.backups.runRetention()!;
		expect(first.orphansDeleted).toBe(1);
		expect(first.setsDeleted).toBe(0);
		const liveManifest = manifestOf(live.server)!;
		expect(keysOf(live.server, liveSet)).toEqual([...referencedChunks(liveManifest), inProgress, "manifest"].sort());

		// Past the lookback: the crashed server's set goes; a set that backed up recently stays.
		const later = os.time() + BackupLimits.indexLookbackSeconds + BackupLimits.indexBucketSeconds + 10;
		const quietStore = backupStore(live.server, quietSet);
		const quietManifest = quietStore.GetAsync<BackupManifest>("manifest")[0]!;
		quietManifest.entries[quietManifest.entries.size() - 1].createdAt = later - 60;
		quietStore.SetAsync("manifest", quietManifest);
		expect(keysOf(live.server, goneSet).size()).toBeGreaterThan(1);
		const second = live.systems.backups.runRetention(later)!;
		expect(second.setsDeleted).toBe(1);
		expect(second.indexKeysRemoved).toBeGreaterThan(0);
		expect(keysOf(live.server, goneSet)).toEqual([]);
		expect(keysOf(live.server, quietSet)).toEqual([...referencedChunks(quietManifest), "manifest"].sort());
		// By then the unfinished backup's chunk is past the grace too; the listed chunks stay.
		expect(second.orphansDeleted).toBe(1);
		expect(keysOf(live.server, liveSet)).toEqual([...referencedChunks(liveManifest), "manifest"].sort());
		// Every backup still listed reads back and verifies.
		for (const entry of quietManifest.entries) expect(typeIs(live.systems.archive.readPayload(quietSet, entry, TALLY), "table")).toBe(true);
		for (const entry of liveManifest.entries) expect(typeIs(live.systems.archive.readPayload(liveSet, entry, TALLY), "table")).toBe(true);
		expect(live.systems.backups.status().lastRetention).toEqual(second);
	});
});
