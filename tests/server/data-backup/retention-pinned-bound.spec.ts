import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { BackupLimits } from "shared/config/backup-config";
import { World } from "../../harness/world";
import { NOTHING_LOST, serverWithUnsavedBuild } from "../build-journal/journal-world";
import { loadOnFreshServer, manifestOf, placeChairs } from "./backup-world";

const LEAVER = 7601;
const STAYER = 7602;
/** Full backup chains taken while the leaver's pin is in force, each a full backup and this many incrementals. */
const CHAINS = 8;
const INCREMENTALS = 3;
/** Virtual seconds between backups: the run spans all but the last few hours of the lookback. */
const STEP = math.floor((BackupLimits.indexLookbackSeconds - 4 * 3600) / (CHAINS * (1 + INCREMENTALS)));
/** Jest's test timeout runs on the virtual clock: the spec spans most of the lookback. */
const TIMEOUT_MS = 4 * 24 * 3600 * 1000;
const TALLY = { requests: 0, retries: 0 };

describe("the manifest with a departed player's build pinned", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("a player left while their profile could not be saved, and the server backs up a build that keeps changing for most of the lookback: the manifest keeps only the retained full chains, and the leaver's final build loads at every step and at the end", () => {
		const dataStore = Headless.newDataStore();
		const a = serverWithUnsavedBuild(world, dataStore, LEAVER, STAYER);
		const { client, acked } = a;
		client.disconnect();
		Headless.seconds(5);

		// The stayer changes their build before every backup, so every incremental holds something.
		const retain = a.systems.backups.currentConfig().retainFullBackups;
		let most = 0;
		let chairs = 0;
		const notFound: number[] = [];
		const lostAt: number[] = [];
		for (let chain = 0; chain < CHAINS; chain++) {
			for (let backup = 0; backup <= INCREMENTALS; backup++) {
				Headless.skipTime(STEP);
				placeChairs(a.server, STAYER, 1, chairs);
				chairs += 1;
				expect(a.systems.backups.forceBackup(backup === 0 ? "full" : "incremental").success).toBe(true);
				most = math.max(most, manifestOf(a.server)!.entries.size());
				// What a load's backup search finds for the leaver now.
				const found = a.systems.archive.findBuild(LEAVER, "LATEST", TALLY).build;
				if (found === undefined) notFound.push(chain);
				else if (acked.compare(found.placements.map((placement) => placement.id)).lost > 0) lostAt.push(chain);
			}
		}
		expect({ notFound, lostAt }).toEqual({ notFound: [], lostAt: [] });
		// The retained full chains and nothing older, however long the pin lasts.
		expect(most).toBeLessThanOrEqual(retain * (1 + INCREMENTALS));

		// Near the end of the lookback the leaver's final build still loads on another server.
		Headless.crashServer(a.server);
		expect(acked.compare(loadOnFreshServer(world, dataStore, LEAVER, "next").build)).toEqual(NOTHING_LOST);
	}, TIMEOUT_MS);
});
