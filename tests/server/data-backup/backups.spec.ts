import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import type { BackupPayload } from "server/data-backup/backup-types";
import { World } from "../../harness/world";
import {
	backupStore,
	joinPlayer,
	manifestOf,
	indexRecordOf,
	placeChairs,
	playerOn,
	startGameServer,
	storedBuild,
	trackedIds,
} from "./backup-world";

const TALLY = { requests: 0, retries: 0 };

describe("backups of builds", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("writes an incremental with only the changes, a full backup with every build, under <unixSeconds>_<sequence> ids", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 6001);
		joinPlayer(world, server, 6002);
		const first = placeChairs(server, 6001, 5);
		placeChairs(server, 6002, 3);

		const initial = systems.backups.forceBackup();
		expect(initial.success).toBe(true);
		expect(initial.players).toBe(2);
		expect(initial.placements).toBe(8);
		expect(string.match(initial.id!, "^%d+_%d+$")[0]).toBeDefined();
		expect(tonumber(initial.id!.split("_")[0])).toBe(os.time());

		systems.systems.removeObject(playerOn(server, 6001), first[0]);
		const added = placeChairs(server, 6001, 2, 5);
		const incremental = systems.backups.forceBackup();
		expect(incremental.players).toBe(1);

		const manifest = manifestOf(server)!;
		expect(manifest.entries.size()).toBe(2);
		const entry = manifest.entries[1];
		expect(entry.id).toBe(incremental.id);
		expect(entry.kind).toBe("incremental");
		expect(entry.players).toEqual([6001]);
		expect(entry.snapshots).toEqual([]);
		expect(string.match(entry.checksum, "^%x%x%x%x%x%x%x%x$")[0]).toBeDefined();
		const payload = systems.archive.readPayload(manifest.setId, entry, TALLY) as BackupPayload;
		const changes = payload.players["6001"];
		expect(changes.removed).toEqual([first[0]]);
		expect(changes.added!.map((row) => row[0]).sort()).toEqual([...added].sort());
		expect(changes.snapshot).toBeUndefined();

		expect(systems.backups.forceBackup().id).toBeUndefined();
		expect(manifestOf(server)!.entries.size()).toBe(2);

		const full = systems.backups.forceBackup("full");
		expect(full.players).toBe(2);
		expect(full.placements).toBe(9);
		const fullEntry = manifestOf(server)!.entries[2];
		expect(fullEntry.kind).toBe("full");
		expect([...fullEntry.snapshots].sort()).toEqual([6001, 6002]);
		expect(indexRecordOf(server, manifest.setId)!.players).toEqual([6001, 6002]);
	});

	it("keeps the last full backups with their incrementals and deletes older ones", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		systems.backups.configure({ retainFullBackups: 2 });
		joinPlayer(world, server, 6003);
		const ids: string[] = [];
		for (let round = 0; round < 3; round++) {
			placeChairs(server, 6003, 1, round * 2);
			ids.push(systems.backups.forceBackup("full").id!);
			placeChairs(server, 6003, 1, round * 2 + 1);
			ids.push(systems.backups.forceBackup().id!);
		}
		const manifest = manifestOf(server)!;
		expect(manifest.entries.map((entry) => entry.id)).toEqual([ids[2], ids[3], ids[4], ids[5]]);
		const store = backupStore(server, manifest.setId);
		expect(store.GetAsync(`${ids[0]}/1`)[0]).toBeUndefined();
		expect(store.GetAsync(`${ids[1]}/1`)[0]).toBeUndefined();
		expect(store.GetAsync(`${ids[2]}/1`)[0]).toBeDefined();
	});

	it("splits a backup larger than one value into chunks and reassembles it on recovery", () => {
		const { server, systems } = startGameServer(world, Headless.newDataStore());
		systems.backups.configure({ chunkCharacters: 1024 });
		joinPlayer(world, server, 6004);
		placeChairs(server, 6004, 49);
		const original = storedBuild(server, 6004);
		const backup = systems.backups.forceBackup("full");
		expect(backup.chunks).toBeGreaterThan(2);
		const manifest = manifestOf(server)!;
		for (let index = 1; index <= backup.chunks; index++) {
			const [chunk] = backupStore(server, manifest.setId).GetAsync<buffer>(`${backup.id}/${index}`);
			expect(server.game.GetService("HttpService").JSONEncode(chunk).size()).toBeLessThanOrEqual(1024);
		}

		for (const id of trackedIds(server, 6004)) systems.systems.removeObject(playerOn(server, 6004), id);
		expect(storedBuild(server, 6004).size()).toBe(0);
		const report = systems.recovery.recoverFromBackup("LATEST", { kind: "player", userId: 6004 });
		expect(report.players[0].status).toBe("recovered");
		expect(storedBuild(server, 6004)).toEqual(original);
	});
});
