import { placeChairs, playerOn, startGameServer, storedBuild } from "./backup-world";
import type { World } from "../../harness/world";
import { waitUntil } from "../../harness/world";
import { backupSystemsOf } from "./backup-world";

/** What went wrong with one player's build against what the server acknowledged. */
export interface LedgerVerdict {
	/** Acknowledged placements missing from the build. */
	readonly lost: string[];
	/** Acknowledged removals back in the build. */
	readonly resurrected: string[];
	/** Ids stored more than once. */
	readonly duplicated: string[];
}

/** Every placement and removal the servers acknowledged, per player, to judge a build against. */
export class Ledger {
	private readonly placed = new Map<number, Set<string>>();
	private readonly removed = new Map<number, Set<string>>();
	private chairs = 0;
	/** Acknowledged placements and removals, every player together. */
	placements = 0;
	removals = 0;

	/** Places `count` chairs through SystemManager; each success is acknowledged. */
	place(server: HeadlessServer, userId: number, count: number): string[] {
		const ids = placeChairs(server, userId, count, this.chairs);
		this.chairs += count;
		this.placements += ids.size();
		const placed = this.placed.get(userId) ?? new Set<string>();
		for (const id of ids) placed.add(id);
		this.placed.set(userId, placed);
		return ids;
	}

	/** Removes `count` of the player's acknowledged placements (oldest first) through SystemManager. */
	remove(server: HeadlessServer, userId: number, count: number) {
		const { systems } = backupSystemsOf(server);
		const placed = this.placed.get(userId) ?? new Set<string>();
		const removed = this.removed.get(userId) ?? new Set<string>();
		const victims: string[] = [];
		for (const id of placed) if (victims.size() < count) victims.push(id);
		for (const id of victims) {
			const result = systems.removeObject(playerOn(server, userId), id);
			assert(result.success, `removal of ${id} was refused`);
			placed.delete(id);
			removed.add(id);
			this.removals += 1;
		}
		this.removed.set(userId, removed);
	}

	expected(userId: number): string[] {
		const ids = [...(this.placed.get(userId) ?? new Set<string>())];
		ids.sort();
		return ids;
	}

	judge(userId: number, build: readonly string[]): LedgerVerdict {
		const inBuild = new Set<string>();
		const duplicated: string[] = [];
		for (const id of build) {
			if (inBuild.has(id)) duplicated.push(id);
			inBuild.add(id);
		}
		const lost: string[] = [];
		for (const id of this.placed.get(userId) ?? new Set<string>()) if (!inBuild.has(id)) lost.push(id);
		const resurrected: string[] = [];
		for (const id of this.removed.get(userId) ?? new Set<string>()) if (inBuild.has(id)) resurrected.push(id);
		return { lost, resurrected, duplicated };
	}
}

export const CLEAN: LedgerVerdict = { lost: [], resurrected: [], duplicated: [] };

/** The player's stored build ids, in stored order (duplicates kept). */
export function storedIds(server: HeadlessServer, userId: number): string[] {
	return storedBuild(server, userId).map((placement) => placement.id);
}

/** Loads the players on a fresh server sharing `dataStore` and returns each one's stored ids. */
export function buildsOnFreshServer(world: World, dataStore: HeadlessDataStore, userIds: readonly number[], name: string) {
	const { server } = startGameServer(world, dataStore, name);
	const { builds } = backupSystemsOf(server);
	for (const userId of userIds) world.join(server, { userId, name: `Builder${userId}`, runScripts: false });
	waitUntil(() => userIds.every((userId) => builds.isLoaded(userId)), 240, "every build to load");
	const result = new Map<number, string[]>();
	for (const userId of userIds) result.set(userId, storedIds(server, userId));
	return { server, builds: result };
}
