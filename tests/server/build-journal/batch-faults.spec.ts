import { afterEach, describe, expect, it } from "@rbxts/jest-globals";
import { journalKey, journalMapName } from "server/build-journal/journal-entry";
import { waitUntil, World } from "../../harness/world";
import { idsOf, joinPlayer, profileOn, startGameServer } from "../data-backup/backup-world";
import { journalOf, placeChair, removeObject } from "./journal-world";

interface Change {
	readonly kind: "place" | "remove";
	readonly userId: number;
	id: string;
	readonly revision: number;
	answer?: string;
	/** When the answer came (virtual time). */
	answeredAt?: number;
	/** Durable as the server counted it just before a crash (answered pending, made durable after). */
	durableAtCrash?: boolean;
}

/**
 * Changes made from their own threads, so every one started before the next resumption point is
 * handled in the same cycle and lands in one batch; each keeps the answer it got.
 */
class FrameChanges {
	readonly changes: Change[] = [];

	/** `chair`: where on the grid this frame's chairs start (apart from other frames' still standing). */
	constructor(private chair = 0) {}

	place(server: HeadlessServer, userId: number): string {
		const index = this.chair++;
		const data = profileOn(server, userId).Data;
		const change = this.start({ kind: "place", userId, id: "", revision: data.buildRevision + 1 }, () => placeChair(server, userId, index), `chair ${index}`);
		// The placement is stored before the thread waits for its journal write.
		change.id = data.placements[data.placements.size() - 1].id;
		return change.id;
	}

	remove(server: HeadlessServer, userId: number, id: string) {
		this.start({ kind: "remove", userId, id, revision: profileOn(server, userId).Data.buildRevision + 1 }, () => removeObject(server, userId, id), `removing ${id}`);
	}

	/** Records `change` and makes it on its own thread, keeping the answer and when it came. */
	private start(change: Change, make: () => { success: boolean; saved?: string }, what: string): Change {
		this.changes.push(change);
		task.spawn(() => {
			const result = make();
			assert(result.success, `${what} was refused`);
			change.answer = result.saved ?? "none";
			change.answeredAt = Headless.now();
		});
		return change;
	}

	/** Notes which changes `server` counts durable now (call just before crashing it). */
	noteDurable(server: HeadlessServer) {
		const journal = journalOf(server);
		for (const change of this.changes) change.durableAtCrash = journal.durabilityOf(change.userId, change.revision) === "durable";
	}

	answered(): boolean {
		return this.changes.every((change) => change.answer !== undefined);
	}

	waitForAnswers(seconds = 20) {
		waitUntil(() => this.answered(), seconds, "every answer");
	}

	answersOf(userId: number): string[] {
		return this.changes.filter((change) => change.userId === userId).map((change) => change.answer ?? "unanswered");
	}

	/**
	 * Placements answered durable and never removed (here or in `later` frames) that are missing,
	 * and removals answered durable whose object is back.
	 */
	check(userId: number, build: readonly string[], ...later: FrameChanges[]): { lost: string[]; resurrected: string[]; duplicated: number } {
		const present = new Set(build);
		const all: Change[] = [];
		for (const frame of [this, ...later]) for (const change of frame.changes) if (change.userId === userId) all.push(change);
		const removed = new Set(all.filter((change) => change.kind === "remove").map((change) => change.id));
		const lost: string[] = [];
		const resurrected: string[] = [];
		for (const change of all) {
			if (change.answer !== "durable" && change.durableAtCrash !== true) continue;
			if (change.kind === "place" && !removed.has(change.id) && !present.has(change.id)) lost.push(`${change.revision}:${change.id}`);
			if (change.kind === "remove" && present.has(change.id)) resurrected.push(`${change.revision}:${change.id}`);
		}
		return { lost, resurrected, duplicated: build.size() - present.size() };
	}
}

/**
 * `userId` (joined on `server`) makes a change whose entry write fails, and `failures` writes of it
 * in all fail (its retries); a frame later, while the retry waits, makes another. Returns both
 * frames and when the second change was made.
 */
function changeWhileRetryWaits(server: HeadlessServer, userId: number, failures: number) {
	faultEntry(server, userId, profileOn(server, userId).Data.buildRevision + 1);
	server.memoryStoreFaults().failNext(failures);
	const failed = new FrameChanges();
	failed.place(server, userId);
	failed.waitForAnswers();
	Headless.frames(1);
	const during = new FrameChanges(1);
	const madeAt = Headless.now();
	during.place(server, userId);
	during.waitForAnswers();
	return { failed, during, madeAt };
}

/** Limits `server`'s MemoryStore faults to the write of `userId`'s entry of `revision`. */
function faultEntry(server: HeadlessServer, userId: number, revision: number) {
	server.memoryStoreFaults().filter((request) => request.name === journalMapName(userId) && request.key === journalKey(revision));
}

/**
 * `userId` places a chair in each of two consecutive frames, only the first one's entry write
 * taking `latency` seconds (the second's entry and claim land in a frame or two).
 */
function twoFramesFirstSlow(server: HeadlessServer, userId: number, latency: number) {
	faultEntry(server, userId, profileOn(server, userId).Data.buildRevision + 1);
	server.memoryStoreFaults().setLatency(latency);
	const started = Headless.now();
	const first = new FrameChanges();
	first.place(server, userId);
	Headless.frames(1);
	const second = new FrameChanges(1);
	second.place(server, userId);
	return { first, second, started };
}

function reloadAfterCrash(world: World, server: HeadlessServer, dataStore: HeadlessDataStore, userId: number, second?: number) {
	Headless.crashServer(server);
	const b = startGameServer(world, dataStore, "after");
	joinPlayer(world, b.server, userId, 240);
	if (second !== undefined) joinPlayer(world, b.server, second, 240);
	return b.server;
}

const CLEAN = { lost: [], resurrected: [], duplicated: 0 };

describe("faults inside one player's batch of journal writes", () => {
	const world = new World();
	afterEach(() => world.stop());

	it("the k-th entry's write fails: the ones before are durable, the rest pending, and a crash before the retry loses nothing durable", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7301);
		const base = profileOn(server, 7301).Data.buildRevision;
		faultEntry(server, 7301, base + 3);
		server.memoryStoreFaults().failNext(1);
		const frame = new FrameChanges();
		const first = frame.place(server, 7301);
		frame.place(server, 7301);
		frame.place(server, 7301);
		frame.remove(server, 7301, first);
		frame.place(server, 7301);
		frame.waitForAnswers();
		expect(frame.answersOf(7301)).toEqual(["durable", "durable", "pending", "pending", "pending"]);
		const after = reloadAfterCrash(world, server, dataStore, 7301);
		expect(frame.check(7301, idsOf(after, 7301))).toEqual(CLEAN);
	});

	it("a removal of an object placed earlier in the batch, stored and then reported failed: the retry lands the rest, and a crash brings nothing back", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7302);
		const journal = journalOf(server);
		const base = profileOn(server, 7302).Data.buildRevision;
		faultEntry(server, 7302, base + 3);
		server.memoryStoreFaults().failAfterWrite(1);
		const frame = new FrameChanges();
		const first = frame.place(server, 7302);
		frame.place(server, 7302);
		frame.remove(server, 7302, first);
		frame.place(server, 7302);
		frame.waitForAnswers();
		expect(frame.answersOf(7302)).toEqual(["durable", "durable", "pending", "pending"]);
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the retry");
		const second = new FrameChanges(10);
		second.place(server, 7302);
		second.waitForAnswers();
		const after = reloadAfterCrash(world, server, dataStore, 7302);
		const build = idsOf(after, 7302);
		expect(frame.check(7302, build, second)).toEqual(CLEAN);
		expect(build.size()).toBe(3);
	});

	it("the claim fails after every entry of the batch landed: all pending, and the retry's claim makes them durable", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7303);
		const journal = journalOf(server);
		server.memoryStoreFaults().filter((request) => request.key === "claim");
		server.memoryStoreFaults().failNext(1);
		const frame = new FrameChanges();
		const first = frame.place(server, 7303);
		frame.place(server, 7303);
		frame.remove(server, 7303, first);
		frame.waitForAnswers();
		expect(frame.answersOf(7303)).toEqual(["pending", "pending", "pending"]);
		// Queued while the retry backs off: written by it.
		const during = new FrameChanges(10);
		during.place(server, 7303);
		during.waitForAnswers();
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the retry");
		const after = reloadAfterCrash(world, server, dataStore, 7303);
		const build = idsOf(after, 7303);
		expect(build.size()).toBe(2);
		expect(during.check(7303, build)).toEqual(CLEAN);
	});

	it("a change made while the player's failed write waits for its retry: it waits for the retry, which carries it, and is answered durable once that lands", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7309);
		// The retry runs a second after the failure; the second change's batch leaves its entry to it.
		const { failed, during } = changeWhileRetryWaits(server, 7309, 1);
		expect(failed.answersOf(7309)).toEqual(["pending"]);
		expect(during.answersOf(7309)).toEqual(["durable"]);
		// Not at once, when its batch skipped the write: when the retry landed.
		expect(during.changes[0].answeredAt! - failed.changes[0].answeredAt!).toBeGreaterThanOrEqual(1);
		const after = reloadAfterCrash(world, server, dataStore, 7309);
		const build = idsOf(after, 7309);
		expect(build.size()).toBe(2);
		expect(failed.check(7309, build, during)).toEqual(CLEAN);
	});

	it("a change made while the player's failed write waits for its retry, the retry failing again: answered pending as soon as the next retry falls past its deadline, durable once that one lands", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7310);
		const journal = journalOf(server);
		// Retries one and three seconds after the failure: the deadline falls between them.
		journal.configure({ writeTimeoutSeconds: 2 });
		const { failed, during, madeAt } = changeWhileRetryWaits(server, 7310, 2);
		expect([...failed.answersOf(7310), ...during.answersOf(7310)]).toEqual(["pending", "pending"]);
		// Held through the first retry (about 1 s after the failure); once it failed, the next one
		// (3 s) could no longer land within the 2 s, so the answer came then, not at the deadline.
		const waited = during.changes[0].answeredAt! - madeAt;
		expect(waited).toBeGreaterThanOrEqual(0.9);
		expect(waited).toBeLessThan(1.2);
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the second retry");
		for (const change of [...failed.changes, ...during.changes]) expect(journal.durabilityOf(7310, change.revision)).toBe("durable");
	});

	it("a retry writing while the next batch writes the same revisions, a profile save landing meanwhile, then a crash", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7304);
		const journal = journalOf(server);
		// Long enough that the overlapping writes land before the answers.
		journal.configure({ writeTimeoutSeconds: 10 });
		const base = profileOn(server, 7304).Data.buildRevision;
		const faults = server.memoryStoreFaults();
		faultEntry(server, 7304, base + 2);
		faults.failNext(1);
		const frame = new FrameChanges();
		const first = frame.place(server, 7304);
		frame.place(server, 7304);
		frame.place(server, 7304);
		frame.waitForAnswers();
		expect(frame.answersOf(7304)).toEqual(["durable", "pending", "pending"]);
		// Every request slow from now on: the retry (after 1 s) and the next batch overlap.
		faults.clear();
		faults.setLatency(0.7);
		Headless.seconds(0.9);
		const later = new FrameChanges(10);
		later.remove(server, 7304, first);
		later.place(server, 7304);
		Headless.seconds(0.3);
		profileOn(server, 7304).Save();
		later.place(server, 7304);
		later.waitForAnswers();
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the overlapping writes to land");
		frame.noteDurable(server);
		later.noteDurable(server);
		expect(later.changes.every((change) => change.durableAtCrash)).toBe(true);
		const after = reloadAfterCrash(world, server, dataStore, 7304);
		const build = idsOf(after, 7304);
		expect(frame.check(7304, build, later)).toEqual(CLEAN);
	});

	it("two players' batches, one player's writes slow: the other is answered durable without waiting for them, and a crash before the slow writes land loses nothing durable", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7305);
		joinPlayer(world, server, 7306);
		const faults = server.memoryStoreFaults();
		faults.filter((request) => request.name === journalMapName(7305));
		faults.setLatency(2);
		const frame = new FrameChanges();
		const slowFirst = frame.place(server, 7305);
		const fastFirst = frame.place(server, 7306);
		frame.place(server, 7305);
		frame.place(server, 7306);
		frame.remove(server, 7306, fastFirst);
		frame.remove(server, 7305, slowFirst);
		const started = Headless.now();
		waitUntil(() => frame.answersOf(7306).every((answer) => answer !== "unanswered"), 10, "the fast player's answers");
		const fastAnswerSeconds = Headless.now() - started;
		expect(frame.answersOf(7306)).toEqual(["durable", "durable", "durable"]);
		// Three entries and a claim at no latency: answered within a few frames, not at the slow player's 3 s timeout.
		expect(fastAnswerSeconds).toBeLessThan(1);
		Headless.seconds(1);
		const after = reloadAfterCrash(world, server, dataStore, 7305, 7306);
		expect(frame.check(7305, idsOf(after, 7305))).toEqual(CLEAN);
		expect(frame.check(7306, idsOf(after, 7306))).toEqual(CLEAN);
	});

	it("one player's changes in two consecutive frames, only the first one's write slow: both answered durable, the second only once the first write landed", () => {
		const dataStore = Headless.newDataStore();
		const { server } = startGameServer(world, dataStore);
		joinPlayer(world, server, 7307);
		// Well within the 3 s the journal waits for a write.
		const { first, second, started } = twoFramesFirstSlow(server, 7307, 1.2);
		waitUntil(() => first.answered() && second.answered(), 10, "both answers");
		expect([...first.answersOf(7307), ...second.answersOf(7307)]).toEqual(["durable", "durable"]);
		const firstAnsweredAt = first.changes[0].answeredAt!;
		const secondAnsweredAt = second.changes[0].answeredAt!;
		expect(secondAnsweredAt).toBeGreaterThanOrEqual(firstAnsweredAt);
		// Not a frame or two in, when its own write was over: with the slow one, 1.2 s after the first change.
		expect(secondAnsweredAt - started).toBeGreaterThan(1.1);
		const after = reloadAfterCrash(world, server, dataStore, 7307);
		expect(first.check(7307, idsOf(after, 7307), second)).toEqual(CLEAN);
	});

	it("one player's changes in two consecutive frames, only the first one's write slower than the timeout: both answered pending at their own deadlines, durable once it lands", () => {
		const { server } = startGameServer(world, Headless.newDataStore());
		joinPlayer(world, server, 7308);
		const journal = journalOf(server);
		const { first, second, started } = twoFramesFirstSlow(server, 7308, 6);
		waitUntil(() => first.answered() && second.answered(), 10, "both answers");
		expect([...first.answersOf(7308), ...second.answersOf(7308)]).toEqual(["pending", "pending"]);
		// The second waited for the slow write until its own 3 s ran out (a frame after the first's), not until it landed.
		const secondWaited = second.changes[0].answeredAt! - started;
		expect(secondWaited).toBeGreaterThanOrEqual(3);
		expect(secondWaited).toBeLessThan(3.5);
		waitUntil(() => journal.status().pendingPlayers === 0, 30, "the slow write to land");
		for (const change of [...first.changes, ...second.changes]) expect(journal.durabilityOf(7308, change.revision)).toBe("durable");
	});
});
