import { decodePayload, encodePayload } from "server/data-backup/backup-codec";
import { checksumOf } from "server/data-backup/checksum";
import { decodeBinaryPayload, encodeBinaryPayload, splitBuffer } from "server/data-backup/binary-codec";
import { ChangeCapture } from "server/data-backup/change-capture";
import { rebuildPlayer } from "server/data-backup/rebuild";
import type { ManifestEntry } from "server/data-backup/backup-types";
import { BuildRows } from "server/builds/build-rows";
import type { PlayerBackup } from "server/data-backup/backup-types";
import type { DataBackupService } from "server/data-backup/data-backup-service";
import { toRow } from "server/data-backup/backup-codec";
import type { BuildService } from "server/builds/build-service";
import type { ModerationService } from "server/moderation/moderation-service";
import type { StoredPlacement } from "server/player-data/player-data";
import type { PlayerDataService } from "server/player-data/player-data-service";
import type { SystemManager } from "server/system-manager/system-manager";
import { FrameBudget } from "server/performance/frame-budget";
import { BackupPresets } from "shared/config/backup-config";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";
import { HttpService } from "@rbxts/services";
import { TimeSplit, splitLabel, startSplit } from "../harness/bench-timing";
import { singletonOf, waitUntil, World } from "../harness/world";

const ROOT = "ServerScriptService.TS";
const PLAYERS = 50;
const OBJECTS_PER_PLAYER = 1000;
const ITEMS = ["chair", "wood-floor", "wood-wall", "lamp", "table", "tree"];

function syntheticBuild(random: Random, count: number): StoredPlacement[] {
	const placements: StoredPlacement[] = [];
	for (let index = 0; index < count; index++) {
		placements.push({
			id: HttpService.GenerateGUID(false),
			itemId: ITEMS[index % ITEMS.size()],
			x: random.NextInteger(0, 95),
			y: random.NextInteger(0, 20),
			z: random.NextInteger(0, 95),
			rotation: random.NextInteger(0, 3) * 90,
			placedAt: 1767225600 + index,
		});
	}
	return placements;
}

const RUNS = 5;

/** The fastest and the slowest of RUNS runs of `work`, each with its game and engine split. */
function leastOf(work: () => void): { least: TimeSplit; most: TimeSplit } {
	let least: TimeSplit | undefined;
	let most: TimeSplit | undefined;
	for (let run = 0; run < RUNS; run++) {
		const stop = startSplit();
		work();
		const took = stop();
		if (least === undefined || took.total < least.total) least = took;
		if (most === undefined || took.total > most.total) most = took;
	}
	return { least: least!, most: most! };
}

function bytesPerPlacement() {
	const build = syntheticBuild(new Random(1), OBJECTS_PER_PLAYER);
	const players = new Map<number, PlayerBackup>([[1, { revision: 1, snapshot: build.map(toRow) }]]);
	const jsonRows = encodePayload("1767225600_1", "full", players, new FrameBudget(1, false)).text.size();
	const binary = encodeBinaryPayload("1767225600_1", "full", new Map([[1, { revision: 1, rows: new BuildRows(build).snapshot() }]]), new FrameBudget(1, false));
	// What the DataStore stores for a buffer: Base64 (or Zstandard + Base64 when shorter) in a JSON wrapper.
	const stored = HttpService.JSONEncode(binary.data).size();
	const naive = HttpService.JSONEncode(build).size();
	print(
		string.format(
			"bytes per placement in a backup: %.1f stored (%.1f raw binary; target <= 40) — JSON rows (format 1): %.1f, naive JSON objects as in the profile: %.1f (%.2fx smaller)",
			stored / build.size(),
			buffer.len(binary.data) / build.size(),
			jsonRows / build.size(),
			naive / build.size(),
			naive / stored,
		),
	);
}

/** Game-logic CPU of a full backup and a restore of a full server, apart from the emulated DataStore. */
function gameCpuOfAFullServer() {
	const random = new Random(3);
	const builds: { userId: number; placements: StoredPlacement[] }[] = [];
	for (let index = 1; index <= PLAYERS; index++) builds.push({ userId: 9000 + index, placements: syntheticBuild(random, OBJECTS_PER_PLAYER) });
	// Least of RUNS runs for the restore and the rows (the machine may be shared): the spread is printed too.
	let rows: BuildRows[] = [];
	const load = leastOf(() => {
		rows = builds.map((build) => new BuildRows(build.placements));
	});
	// Every place and remove keeps the rows and their checksum in step: time one of each.
	const sample = rows[0];
	const extra = syntheticBuild(new Random(4), 2000);
	const stopEdits = startSplit();
	for (const placement of extra) sample.add(placement);
	for (const placement of extra) sample.remove(placement.id);
	const edits = stopEdits();

	const sources = builds.map((build, index) => ({ userId: build.userId, placements: build.placements, revision: 1, rows: rows[index] }));
	const budget = new FrameBudget(1, false);
	const stopBackup = startSplit();
	const pending = new ChangeCapture().pending("full", sources, budget, new Set());
	const encoded = encodeBinaryPayload("1767225600_1", "full", pending.players, budget);
	const chunks = splitBuffer(encoded.data, math.floor(((3_900_000 - 64) * 3) / 4));
	const backupCpu = stopBackup();

	const stopBaseline = startSplit();
	const jsonPlayers = new Map<number, PlayerBackup>();
	for (const build of builds) jsonPlayers.set(build.userId, { revision: 1, snapshot: build.placements.map(toRow) });
	const jsonPayload = encodePayload("1767225600_1", "full", jsonPlayers, budget);
	const baselineCpu = stopBaseline();

	const entry: ManifestEntry = {
		id: "1767225600_1",
		kind: "full",
		createdAt: 0,
		players: builds.map((build) => build.userId),
		revisions: builds.map(() => 1),
		snapshots: builds.map((build) => build.userId),
		size: buffer.len(encoded.data),
		checksum: encoded.checksum,
		chunks: chunks.size(),
	};
	let restored = 0;
	// What the load path hands the game: each build's placements and its binary rows.
	let restoredRows: BuildRows[] = [];
	const restore = leastOf(() => {
		const payload = decodeBinaryPayload(encoded.data, entry.id, entry.checksum);
		assert(!typeIs(payload, "string"), `the payload does not decode: ${payload}`);
		restored = 0;
		restoredRows = [];
		for (const build of builds) {
			const outcome = rebuildPlayer(build.userId, [entry], () => payload.players[tostring(build.userId)]);
			restored += outcome.build!.placements.size();
			if (outcome.build!.rows !== undefined) restoredRows.push(outcome.build!.rows);
		}
	});
	assert(restored === PLAYERS * OBJECTS_PER_PLAYER, `restored ${restored} placements`);

	// Naive baseline in the same run (once): the JSON rows backup (format 1) restored to the same
	// result: its checksum over the text, JSON decode, rows parsed, then rows built from the placements.
	const stopJsonRestore = startSplit();
	assert(checksumOf(jsonPayload.text) === jsonPayload.checksum, "the JSON baseline fails its checksum");
	const jsonDecoded = decodePayload(jsonPayload.text, entry.id);
	assert(!typeIs(jsonDecoded, "string"), `the JSON baseline does not decode: ${jsonDecoded}`);
	let jsonRestored = 0;
	for (const build of builds) {
		const outcome = rebuildPlayer(build.userId, [entry], () => jsonDecoded.players[tostring(build.userId)]);
		jsonRestored += new BuildRows(outcome.build!.placements).size();
	}
	const jsonRestoreCpu = stopJsonRestore();
	assert(jsonRestored === PLAYERS * OBJECTS_PER_PLAYER, `the JSON baseline restored ${jsonRestored} placements`);
	assert(restoredRows.size() === PLAYERS, `rows restored for ${restoredRows.size()} players`);
	builds.forEach((build, index) => {
		const restoredRow = restoredRows[index];
		assert(restoredRow.size() === OBJECTS_PER_PLAYER, `player ${build.userId}'s rows were not restored`);
		assert(restoredRow.checksum() === new BuildRows(build.placements).checksum(), `player ${build.userId}'s restored rows differ`);
	});
	print(
		string.format(
			"game CPU, %d players x %d objects: full backup %s once (target <= 50 ms; JSON rows + FNV baseline %s, %.0fx), restore of %d placements with their rows %s (target <= 100 ms; least of %d runs, most %s; JSON rows + FNV baseline once %s, %.0fx); rows built on load %s (least of %d, most %s), %s per place or remove (one run of %d)",
			PLAYERS,
			OBJECTS_PER_PLAYER,
			splitLabel(backupCpu),
			splitLabel(baselineCpu),
			baselineCpu.total / backupCpu.total,
			restored,
			splitLabel(restore.least),
			RUNS,
			splitLabel(restore.most),
			splitLabel(jsonRestoreCpu),
			jsonRestoreCpu.total / restore.least.total,
			splitLabel(load.least),
			RUNS,
			splitLabel(load.most),
			splitLabel(edits, extra.size() * 2),
			extra.size() * 2,
		),
	);
}

function fullBackupOfAFullServer() {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const backups = singletonOf<DataBackupService>(server, `${ROOT}.data-backup.data-backup-service`, "DataBackupService");
	const playerData = singletonOf<PlayerDataService>(server, `${ROOT}.player-data.player-data-service`, "PlayerDataService");
	backups.configure({ incrementalInterval: 1e6, fullBackupInterval: 1e6 });
	for (let index = 1; index <= PLAYERS; index++) world.join(server, { userId: 8000 + index, name: `Load${index}`, runScripts: false });
	waitUntil(() => playerData.loadedProfiles().size() === PLAYERS, 300, "every profile to load");
	const random = new Random(2);
	for (const [, profile] of playerData.loadedProfiles()) {
		profile.Data.placements = syntheticBuild(random, OBJECTS_PER_PLAYER);
		profile.Data.buildRevision += 1;
	}

	const stopFirst = startSplit();
	const result = backups.forceBackup("full");
	const real = stopFirst();
	assert(result.success, `the full backup failed: ${result.error}`);
	// Once the index lists every player for this set, a full backup is its chunks and the manifest.
	Headless.seconds(10);
	const stopSteady = startSplit();
	const steady = backups.forceBackup("full");
	const steadyReal = stopSteady();
	Headless.seconds(10);
	const stopEmergency = startSplit();
	const emergency = backups.emergencyBackup();
	const emergencyReal = stopEmergency();

	// Naive baseline: one SetAsync per player of their build as the profile stores it.
	const naiveStore = server.game.GetService("DataStoreService").GetDataStore(`${DataStoreNames.backups}-naive`);
	const naiveVirtualStart = Headless.now();
	const stopNaive = startSplit();
	let naiveBytes = 0;
	for (const [player, profile] of playerData.loadedProfiles()) {
		const text = HttpService.JSONEncode(profile.Data.placements);
		naiveBytes += text.size();
		naiveStore.SetAsync(playerProfileKey(player.UserId), text);
	}
	const naiveReal = stopNaive();
	print(
		string.format(
			"full backup, %d players x %d objects: %.2f MB in %d chunk(s); first on this server %d requests (index included; target <= 3), %s of real time (one run, the frames' other work included) over %.1f s of frames",
			PLAYERS,
			OBJECTS_PER_PLAYER,
			result.size / 1e6,
			result.chunks,
			result.requests,
			splitLabel(real),
			result.seconds,
		),
	);
	print(string.format("  next full backup: %d requests, %s over %.1f s of frames", steady.requests, splitLabel(steadyReal), steady.seconds));
	print(string.format("  emergency backup (no frame spreading): %d requests, %s, %.1f s of virtual time of the 30 s shutdown window", emergency.requests, splitLabel(emergencyReal), emergency.seconds));
	print(
		string.format(
			"  naive baseline, one SetAsync per player of the profile's JSON: %d requests (%.0fx a steady full backup), %.2f MB (%.2fx), %s, %.1f s",
			PLAYERS,
			PLAYERS / steady.requests,
			naiveBytes / 1e6,
			naiveBytes / steady.size,
			splitLabel(naiveReal),
			Headless.now() - naiveVirtualStart,
		),
	);
	world.stop();
}

/** A server with one loaded builder whom moderation never stops, for the crash measurements. */
function crashWorld(userId: number) {
	const world = new World();
	const dataStore = Headless.newDataStore();
	const server = world.startServer({ dataStore });
	const systems = singletonOf<SystemManager>(server, `${ROOT}.system-manager.system-manager`, "SystemManager");
	const builds = singletonOf<BuildService>(server, `${ROOT}.builds.build-service`, "BuildService");
	singletonOf<ModerationService>(server, `${ROOT}.moderation.moderation-service`, "ModerationService").configure({
		maxObjectsPerMinute: 1e6,
		maxObjectsInRadius: 1e6,
		maxSameItemType: 1e6,
		checkRadius: 50,
	});
	world.join(server, { userId, name: "Builder", runScripts: false });
	waitUntil(() => builds.isLoaded(userId), 60, "the build to load");
	const player = server.game.GetService("Players").GetPlayerByUserId(userId)!;
	return { world, dataStore, server, systems, player };
}

/** Crashes a server at several points while a player builds, and measures what the next server restores. */
function dataLossWindow() {
	const interval = BackupPresets.highActivity.incrementalInterval;
	const crashAfter = [95, 130, 170, 245];
	let worstWithBackups = 0;
	let worstProfileOnly = 0;
	for (const seconds of crashAfter) {
		const { world, dataStore, server, systems, player } = crashWorld(8500);
		const placedAt = new Map<string, number>();
		const started = Headless.now();
		let index = 0;
		while (Headless.now() - started < seconds) {
			const result = systems.placeObject(player, "chair", new Vector3(2 + (index % 20) * 4, 0, 2 + math.floor(index / 20) * 4), 0);
			if (result.success) placedAt.set(result.placementId, Headless.now());
			index += 1;
			Headless.seconds(5);
		}
		const crashedAt = Headless.now();
		Headless.crashServer(server);

		const reader = world.startServer({ dataStore, empty: true });
		const [saved] = reader.game
			.GetService("DataStoreService")
			.GetDataStore(DataStoreNames.playerData)
			.GetAsync<{ Data: { placements: StoredPlacement[] } }>(playerProfileKey(8500));
		const inProfile = new Set((saved?.Data.placements ?? []).map((placement) => placement.id));

		const successor = world.startServer({ dataStore });
		const nextBuilds = singletonOf<BuildService>(successor, `${ROOT}.builds.build-service`, "BuildService");
		// Backups alone: the successor cannot read the build journal (measured on its own below).
		successor.memoryStoreFaults().setFailureRate(1, 1);
		world.join(successor, { userId: 8500, name: "Builder", runScripts: false });
		waitUntil(() => nextBuilds.isLoaded(8500), 200, "the build to load after the crash");
		const restored = new Set(nextBuilds.snapshotOf(8500).map((placement) => placement.id));
		let lostWith = 0;
		let lostWithout = 0;
		for (const [id, at] of placedAt) {
			if (!restored.has(id)) lostWith = math.max(lostWith, crashedAt - at);
			if (!inProfile.has(id)) lostWithout = math.max(lostWithout, crashedAt - at);
		}
		worstWithBackups = math.max(worstWithBackups, lostWith);
		worstProfileOnly = math.max(worstProfileOnly, lostWithout);
		print(
			string.format(
				"crash after %3d s: %d placed, %d restored; work lost: %.0f s with backups, %.0f s with profile saves alone",
				seconds,
				placedAt.size(),
				restored.size(),
				lostWith,
				lostWithout,
			),
		);
		world.stop();
	}
	print(
		string.format(
			"data-loss window: worst %.0f s with backups (incremental interval %d s), %.0f s with profile saves alone",
			worstWithBackups,
			interval,
			worstProfileOnly,
		),
	);
	return { worstWithBackups, worstProfileOnly };
}

/**
 * The same crashes with the build journal on: the server crashes right after a placement or a
 * removal, and the next server's build is compared with every answer the player was given.
 */
function journalLossWindow(): number {
	const crashAfter = [95, 130, 170, 245];
	let worst = 0;
	for (const seconds of crashAfter) {
		const { world, dataStore, server, systems, player } = crashWorld(8501);
		const standing = new Map<string, number>();
		const removed = new Map<string, number>();
		const started = Headless.now();
		let index = 0;
		while (Headless.now() - started < seconds) {
			Headless.seconds(5);
			const oldest = index % 4 === 3 ? [...standing][0] : undefined;
			if (oldest !== undefined) {
				const result = systems.removeObject(player, oldest[0]);
				if (result.success) {
					standing.delete(oldest[0]);
					removed.set(oldest[0], Headless.now());
				}
			} else {
				const position = new Vector3(2 + (index % 20) * 4, 0, 2 + math.floor(index / 20) * 4);
				const result = systems.placeObject(player, "chair", position, 0);
				if (result.success) standing.set(result.placementId, Headless.now());
			}
			index += 1;
		}
		const crashedAt = Headless.now();
		Headless.crashServer(server);

		const successor = world.startServer({ dataStore });
		const nextBuilds = singletonOf<BuildService>(successor, `${ROOT}.builds.build-service`, "BuildService");
		world.join(successor, { userId: 8501, name: "Builder", runScripts: false });
		waitUntil(() => nextBuilds.isLoaded(8501), 200, "the build to load after the crash");
		const restored = new Set(nextBuilds.snapshotOf(8501).map((placement) => placement.id));
		let lost = 0;
		let lostCount = 0;
		let resurrected = 0;
		for (const [id, at] of standing) {
			if (restored.has(id)) continue;
			lost = math.max(lost, crashedAt - at);
			lostCount += 1;
		}
		for (const [id, at] of removed) {
			if (!restored.has(id)) continue;
			lost = math.max(lost, crashedAt - at);
			resurrected += 1;
		}
		worst = math.max(worst, lost);
		print(
			string.format(
				"journal, crash after %3d s: %d standing, %d removed, %d restored; %d lost, %d resurrected; work lost: %.0f s",
				seconds,
				standing.size(),
				removed.size(),
				restored.size(),
				lostCount,
				resurrected,
				lost,
			),
		);
		world.stop();
	}
	return worst;
}

export function run() {
	bytesPerPlacement();
	gameCpuOfAFullServer();
	fullBackupOfAFullServer();
	const { worstWithBackups, worstProfileOnly } = dataLossWindow();
	const worstWithJournal = journalLossWindow();
	print(
		string.format(
			"crash loss window: %.0f s with the build journal (target 0 s), %.0f s with backups only, %.0f s with ProfileStore only",
			worstWithJournal,
			worstWithBackups,
			worstProfileOnly,
		),
	);
}
