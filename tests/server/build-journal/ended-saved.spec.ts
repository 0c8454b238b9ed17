import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { DataStoreNames, playerProfileKey } from "shared/config/data-stores";
import { waitUntil, World } from "../../harness/world";
import { backupSystemsOf, failProfileWrites, idsOf, joinPlayer, loaderOf, playerOn, profileOn, sessionStartedOn, startGameServer } from "../data-backup/backup-world";
import { systemsOf } from "../placement/placement-world";
import { Acknowledged, journalOf, NOTHING_LOST } from "./journal-world";

/** The run of sessions that ended with their last save landed, as stored: [from, through]. */
function storedRun(server: HeadlessServer, userId: number): number[] {
	const store = server.game.GetService("DataStoreService").GetDataStore(DataStoreNames.playerData);
	const [profile] = store.GetAsync<{ Data: { endedSavedFrom: number; endedSavedThrough: number } }>(playerProfileKey(userId));
	return [profile!.Data.endedSavedFrom, profile!.Data.endedSavedThrough];
}

function savedEndsSince(server: HeadlessServer, userId: number): number {
	return backupSystemsOf(server).playerData.sessionHistoryOf(playerOn(server, userId))!.savedEndsSince;
}

function saidItWaits(server: HeadlessServer): boolean {
	return server.output().join("\n").find("may have overtaken")[0] !== undefined;
}

function memoryStoreDown(server: HeadlessServer) {
	server.memoryStoreFaults().filter(undefined);
	server.memoryStoreFaults().setFailureRate(1, 9);
}

/** A session that answers two chairs, backs them up whole and crashes before any profile save lands. */
function crashedAfterBackup(world: World, dataStore: HeadlessDataStore, userId: number): Acknowledged {
	const first = startGameServer(world, dataStore, "first");
	joinPlayer(world, first.server, userId);
	failProfileWrites(first.server);
	const acked = new Acknowledged();
	acked.place(first.server, userId, 0);
	acked.place(first.server, userId, 1);
	expect(first.systems.backups.forceBackup("full").success).toBe(true);
	Headless.crashServer(first.server);
	return acked;
}

/** The player joins `server` while it cannot reach the MemoryStore; returns its build service. */
function joinWithMemoryStoreDown(world: World, server: HeadlessServer, userId: number) {
	memoryStoreDown(server);
	world.join(server, { userId, name: `Builder${userId}`, runScripts: false });
	waitUntil(() => sessionStartedOn(server, userId), 240, "the session to start");
	return systemsOf(server).builds;
}

/**
 * The stored run of sessions whose last save landed (endedSavedFrom/Through), and the load's wait
 * for the journal that it decides: a load without the journal waits only when a session since the
 * chosen copy's may have overtaken it.
 */
describe("sessions that ended with their last save landed, and the load that waits on them", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("records the latest run of such sessions as players leave, crash and have their last save fail", () => {
		const userId = 9101;
		const dataStore = Headless.newDataStore();
		const seen: defined[] = [];
		/** The player leaves `server`; what is stored once the leave save landed. */
		const leaveAndRead = (server: HeadlessServer, client: HeadlessClient) => {
			client.disconnect();
			Headless.seconds(10);
			seen.push(storedRun(server, userId));
		};
		const one = startGameServer(world, dataStore, "one");
		leaveAndRead(one.server, joinPlayer(world, one.server, userId));
		const two = startGameServer(world, dataStore, "two");
		joinPlayer(world, two.server, userId, 240);
		seen.push(savedEndsSince(two.server, userId));
		Headless.crashServer(two.server);
		const three = startGameServer(world, dataStore, "three");
		const onThree = joinPlayer(world, three.server, userId, 240);
		seen.push(profileOn(three.server, userId).SessionLoadCount, savedEndsSince(three.server, userId));
		leaveAndRead(three.server, onThree);
		const four = startGameServer(world, dataStore, "four");
		leaveAndRead(four.server, joinPlayer(world, four.server, userId, 240));
		const five = startGameServer(world, dataStore, "five");
		const onFive = joinPlayer(world, five.server, userId, 240);
		seen.push(savedEndsSince(five.server, userId));
		// Session 5's last save fails; session 6 then takes the profile over.
		const faults = failProfileWrites(five.server);
		onFive.disconnect();
		Headless.seconds(30);
		seen.push(storedRun(four.server, userId));
		const six = startGameServer(world, dataStore, "six");
		const onSix = joinPlayer(world, six.server, userId, 240);
		seen.push(profileOn(six.server, userId).SessionLoadCount, savedEndsSince(six.server, userId));
		faults.clear();
		Headless.seconds(60);
		seen.push(storedRun(six.server, userId));
		leaveAndRead(six.server, onSix);
		expect(seen).toEqual([[1, 1], 1, 3, 3, [3, 3], [3, 4], 3, [3, 4], 6, 6, [3, 4], [6, 6]]);
	});

	it("does not wait when the previous session crashed and its own backup is the newest build (MemoryStore down)", () => {
		const userId = 9103;
		const dataStore = Headless.newDataStore();
		crashedAfterBackup(world, dataStore, userId);
		const later = startGameServer(world, dataStore, "later");
		const builds = joinWithMemoryStoreDown(world, later.server, userId);
		let loadedAfter = -1;
		for (let seconds = 0; seconds < 120 && loadedAfter < 0; seconds += 5) {
			if (builds.isLoaded(userId)) loadedAfter = seconds;
			else Headless.seconds(5);
		}
		expect({ loadedAfter, waited: saidItWaits(later.server), origin: loaderOf(later.server).decisionOf(userId)?.origin }).toEqual({
			loadedAfter: 10,
			waited: false,
			origin: "backup",
		});
	});

	it("waits, while the MemoryStore is down, when a session since the chosen backup crashed too, and loses nothing once it can read", () => {
		const userId = 9104;
		const dataStore = Headless.newDataStore();
		const acked = crashedAfterBackup(world, dataStore, userId);
		// Session 2 loads the backup without the journal, none of its profile saves lands, and it crashes.
		const second = startGameServer(world, dataStore, "second");
		memoryStoreDown(second.server);
		failProfileWrites(second.server, { from: () => sessionStartedOn(second.server, userId) });
		joinPlayer(world, second.server, userId, 240);
		const secondLoad = {
			origin: loaderOf(second.server).decisionOf(userId)?.origin,
			buildSession: profileOn(second.server, userId).Data.buildSession,
			unread: journalOf(second.server).waitsForRead(userId),
		};
		Headless.seconds(20);
		Headless.crashServer(second.server);
		const third = startGameServer(world, dataStore, "third");
		const builds = joinWithMemoryStoreDown(world, third.server, userId);
		Headless.seconds(200);
		const loadedWhileDown = builds.isLoaded(userId);
		third.server.memoryStoreFaults().clear();
		waitUntil(() => builds.isLoaded(userId), 240, "the build to load");
		expect({ secondLoad, loadedWhileDown, waited: saidItWaits(third.server), lost: acked.compare(idsOf(third.server, userId)) }).toEqual({
			secondLoad: { origin: "backup", buildSession: 1, unread: true },
			loadedWhileDown: false,
			waited: true,
			lost: NOTHING_LOST,
		});
	});
});
