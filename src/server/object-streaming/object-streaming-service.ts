import { OnStart, OnTick, Service } from "@flamework/core";
import { Players } from "@rbxts/services";
import { RollingSamples, SampleSummary } from "server/analytics/rolling-samples";
import { Events } from "server/network";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { Plot, PlotService } from "server/plots/plot-service";
import { PlotConfig } from "shared/config/placement-config";
import { DefaultStreamingSettings, StreamingSettings } from "shared/config/streaming-config";
import { BufferWriter } from "shared/streaming/buffer-writer";
import { CHUNK_COORD_LIMIT, chunkKey, chunksOfBox, chunkX, chunkZ, distanceToChunk } from "shared/streaming/chunk-grid";
import { beginBatch, writeUnload } from "shared/streaming/chunk-codec";
import { chunksToStreamIn, InterestInput, streamOut, WantedChunk } from "shared/streaming/interest";
import { ChunkChange, ChunkDirectory } from "./chunk-directory";
import { DeltaLog, DeltaWrite } from "./delta-log";
import { StreamingRebuild, StreamingStatus, ViewerReport } from "./streaming-types";
import { SystemRegistry } from "server/system-manager/system-registry";

/** A focus farther than this from the origin is not believed (a client moves its own character). */
const FOCUS_LIMIT = 1e5;
/**
 * The chunks to stream in are recomputed once the focus has moved this far (Manhattan), in
 * studs, and looked for this much beyond the stream-in radius, so a chunk is already on the list
 * when the focus comes within the stream-in radius of it. At most a quarter of the gap between
 * the radii, so a chunk streamed in early is never near the stream-out radius.
 */
const REFOCUS_DISTANCE = 16;
/**
 * A check for chunks past the stream-out radius drops those this much within it too, so the next
 * check is needed only after the focus has moved this far (at most a quarter of the gap between
 * the radii, so dropping early never brings a chunk back at once).
 */
const DROP_MARGIN = 8;
/** A chunk's delta backlog is dropped for a fresh snapshot once its log is this many times a snapshot's size. */
const LOG_LIMIT_IN_SNAPSHOTS = 2;

interface Viewer {
	readonly player: Player;
	readonly userId: number;
	/** Chunks whose snapshot was sent, with the sequence number the client now holds. */
	readonly held: Map<number, number>;
	pinned: ReadonlySet<number>;
	pinnedPlot?: Plot;
	focusKind: "character" | "plot" | "none";
	focusX: number;
	focusZ: number;
	/** Where the interest was last computed, and for which settings revision. */
	computedX: number;
	computedZ: number;
	computedRevision: number;
	droppedX: number;
	droppedZ: number;
	droppedRevision: number;
	/** How far the focus may move from (droppedX, droppedZ) before a held chunk could be past the stream-out radius. */
	dropSlack: number;
	/** Held chunks with deltas the player has not been sent yet. */
	readonly behind: Set<number>;
	wanted: WantedChunk[];
	wantedNext: number;
	readonly writer: BufferWriter;
	records: number;
	bytesSent: number;
	readonly joinedFrame: number;
	framesToOwnPlot: number;
	rootPart?: BasePart;
	character?: Model;
	connections: RBXScriptConnection[];
}

function validSettings(settings: StreamingSettings): string | undefined {
	const positive = (value: number) => value === value && value > 0 && value < math.huge;
	if (!positive(settings.streamInRadius)) return "streamInRadius must be a positive number";
	if (!positive(settings.streamOutRadius) || settings.streamOutRadius <= settings.streamInRadius) {
		return "streamOutRadius must be larger than streamInRadius";
	}
	if (!positive(settings.chunksPerPlayerPerFrame) || settings.chunksPerPlayerPerFrame % 1 !== 0) {
		return "chunksPerPlayerPerFrame must be a whole number of at least 1";
	}
	if (!positive(settings.bytesPerPlayerPerFrame)) return "bytesPerPlayerPerFrame must be positive";
	if (!positive(settings.serverMillisecondsPerFrame)) return "serverMillisecondsPerFrame must be positive";
	return undefined;
}

/**
 * ObjectStreaming, the server side: keeps the world as data by chunk (fed by the tracker), keeps
 * each player's interest around their focus (character, else plot; own plot always in), and sends
 * each player one binary batch per frame: unloads of chunks past the stream-out radius, the
 * places and removes queued for chunks they hold (to nobody else), then snapshots of chunks coming
 * into interest (own plot, then nearest first); deltas and snapshots within the per-player byte
 * budget and the server-wide time budget.
 */
@Service()
export class ObjectStreamingService implements OnStart, OnTick {
	/** The settings in force: `configured`, turned down by memory relief while it lasts. */
	private settings: StreamingSettings = { ...DefaultStreamingSettings };
	/** What configure() set, which memory relief scales and gives back when undone. */
	private configured: StreamingSettings = { ...DefaultStreamingSettings };
	private relief?: (configured: StreamingSettings) => Omit<StreamingSettings, "chunkSize">;
	private revision = 0;
	private lastFrameCost = 0;
	private lastFrameGameCost = 0;
	private clock: () => number = os.clock;
	private engineClock?: () => number;
	private directory = new ChunkDirectory(DefaultStreamingSettings.chunkSize);
	private readonly viewers = new Map<Player, Viewer>();
	/** The players holding each chunk. */
	private readonly watchers = new Map<number, Set<Viewer>>();
	/** Deltas of held chunks not yet sent to everyone holding them. */
	private readonly deltas = new DeltaLog();
	/** Chunks with deltas queued since the last frame. */
	private readonly dirty = new Set<number>();
	private readonly deltaWrite: DeltaWrite = { seq: 0, bytes: 0 };
	private readonly scratchKeys: number[] = [];
	private readonly scratchNeeded = new Set<number>();
	private readonly order: Viewer[] = [];
	private rotation = 0;
	private frame = 0;
	private readonly frameCost = new RollingSamples(600);
	/** The part of it spent handing batches to the engine (RemoteEvent fires). */
	private readonly sendCost = new RollingSamples(600);
	/** The same sends without the emulated engine's share (with an engine clock, see measureWith). */
	private readonly sendGameCost = new RollingSamples(600);
	/** 1 for each recent frame in which the server-wide budget ran out before every player was served. */
	private readonly overBudget = new RollingSamples(600);
	private snapshotsSent = 0;
	private objectsStreamed = 0;
	private deltasSent = 0;
	private deltasQueued = 0;
	private backlogSnapshots = 0;
	private unloadsSent = 0;
	private bytesSent = 0;
	private framesOverBudget = 0;
	private resyncRequests = 0;
	private rejectedRequests = 0;
	private maxChunksInAFrame = 0;
	private errors = 0;
	private lastRebuild?: StreamingRebuild;
	/** Tracker changes the directory has not followed yet, in order (parallel arrays: noting one makes no table). */
	private readonly pendingPlacements: TrackedPlacement[] = [];
	private readonly pendingPlaced: boolean[] = [];
	private pendingCount = 0;

	constructor(
		private readonly tracker: PlacementTracker,
		private readonly plots: PlotService,
		private readonly registry: SystemRegistry,
	) {
		// Streaming must never break a placement: a failure here is counted and reported, not thrown.
		// A change is only noted here; the directory follows it at the start of the next frame's
		// streaming work (or sooner, when something reads the directory), off the placement path.
		tracker.subscribe({
			added: (placement) => this.note(placement, true),
			removed: (placement) => this.note(placement, false),
		});
	}

	onStart() {
		this.registry.connect("objectStreaming", Players.PlayerAdded, "PlayerAdded", (player) => this.addViewer(player));
		this.registry.connect("objectStreaming", Players.PlayerRemoving, "PlayerRemoving", (player) => this.removeViewer(player));
		for (const player of Players.GetPlayers()) this.addViewer(player);
		Events.streamResync.connect((player, cx, cz) => this.resync(player, cx, cz));
	}

	/**
	 * The clock streaming times itself with (benchmarks pass the host's clock), and optionally
	 * the emulated engine's share of it, so a frame's game time can be told apart.
	 */
	measureWith(clock: () => number, engineClock?: () => number) {
		this.clock = clock;
		this.engineClock = engineClock;
		this.frameCost.clear();
		this.sendCost.clear();
		this.sendGameCost.clear();
	}

	onTick() {
		const clock = this.clock;
		const engineAtStart = this.engineClock?.() ?? 0;
		const started = clock();
		this.frame += 1;
		this.settle();
		const budget = this.settings.serverMillisecondsPerFrame / 1000;
		this.markBehind();
		// Every player's focus and drops, every frame: cheap, and nothing stays past the radius.
		for (const viewer of this.order) {
			this.updateFocus(viewer);
			this.dropFarChunks(viewer);
		}
		const count = this.order.size();
		let served = 0;
		for (let step = 0; step < count; step++) {
			// The first player of a frame is always served, so streaming never stalls.
			if (step > 0 && clock() - started > budget) break;
			this.serve(this.order[(this.rotation + step) % count], started, budget, step === 0);
			served += 1;
		}
		if (served < count) this.framesOverBudget += 1;
		this.overBudget.record(served < count ? 1 : 0);
		// The next frame starts with the first player this one did not reach.
		if (count > 0) this.rotation = (this.rotation + math.max(served, 1)) % count;
		const sending = clock();
		const engineAtSending = this.engineClock?.() ?? 0;
		for (const viewer of this.order) this.flush(viewer);
		this.trimLogs();
		const finished = clock();
		const engineAtEnd = this.engineClock?.() ?? 0;
		this.lastFrameCost = (finished - started) * 1000;
		this.lastFrameGameCost = this.lastFrameCost - (engineAtEnd - engineAtStart) * 1000;
		this.frameCost.record(this.lastFrameCost);
		this.sendCost.record((finished - sending) * 1000);
		this.sendGameCost.record((finished - sending - (engineAtEnd - engineAtSending)) * 1000);
	}

	/**
	 * Changes radii and budgets at run time (the chunk size is fixed for the server's life). While
	 * memory relief is in force the change is kept as configured and relief applies on top of it;
	 * undoing relief gives back these settings.
	 */
	configure(changes: Partial<Omit<StreamingSettings, "chunkSize">>): { success: boolean; message?: string } {
		const updated = { ...this.configured, ...changes, chunkSize: this.configured.chunkSize };
		const problem = validSettings(updated) ?? (this.relief && validSettings({ ...updated, ...this.relief(updated) }));
		if (problem !== undefined) return { success: false, message: problem };
		this.configured = updated;
		this.apply();
		return { success: true };
	}

	/**
	 * Memory relief: `relieve` maps the configured settings to those in force (until it is
	 * cleared with undefined), now and after every configure().
	 */
	setRelief(relieve: ((configured: StreamingSettings) => Omit<StreamingSettings, "chunkSize">) | undefined): { success: boolean; message?: string } {
		if (relieve !== undefined) {
			const problem = validSettings({ ...this.configured, ...relieve(this.configured) });
			if (problem !== undefined) return { success: false, message: problem };
		}
		this.relief = relieve;
		this.apply();
		return { success: true };
	}

	/** The settings configure() set (without memory relief). */
	configuredSettings(): Readonly<StreamingSettings> {
		return this.configured;
	}

	private apply() {
		const configured = this.configured;
		this.settings = this.relief === undefined ? { ...configured } : { ...configured, ...this.relief(configured), chunkSize: configured.chunkSize };
		this.revision += 1;
	}

	/**
	 * Rebuilds the chunk directory from the tracker and sends every player a fresh snapshot of
	 * each chunk they hold, in their next batch: the snapshot replaces the client's copy of the
	 * chunk (unchanged objects keep their handles), so nothing is lost or doubled, and deltas
	 * that follow carry the new sequence numbers. Errors counted before the rebuild are cleared.
	 */
	rebuild(): StreamingRebuild {
		const previous = this.followed();
		const before = previous.objectCount();
		const { directory, handlesKept } = ChunkDirectory.rebuiltFrom(previous, this.tracker.all());
		this.directory = directory;
		this.deltas.clear();
		this.dirty.clear();
		const online = new Set(Players.GetPlayers());
		for (const player of online) this.addViewer(player);
		for (const viewer of [...this.order]) if (!online.has(viewer.player)) this.removeViewer(viewer.player);
		let snapshots = 0;
		for (const viewer of this.order) {
			viewer.behind.clear();
			for (const [key] of viewer.held) {
				this.begin(viewer);
				this.directory.writeSnapshotFor(viewer.writer, key, viewer.userId);
				viewer.held.set(key, this.directory.seqOf(key));
				viewer.records += 1;
				snapshots += 1;
			}
			viewer.computedRevision = -1;
			viewer.droppedRevision = -1;
		}
		this.snapshotsSent += snapshots;
		const rebuild: StreamingRebuild = {
			at: os.time(),
			objectsBefore: before,
			objectsAfter: directory.objectCount(),
			handlesKept,
			snapshotsResent: snapshots,
			errorsCleared: this.errors,
		};
		this.errors = 0;
		this.lastRebuild = rebuild;
		return rebuild;
	}

	/** Share of the recent frames (last 600) in which the server-wide budget ran out. */
	overBudgetShare(): { share: number; frames: number } {
		const frames = this.overBudget.count();
		return { share: frames === 0 ? 0 : this.overBudget.average(), frames };
	}

	lastRebuildReport(): StreamingRebuild | undefined {
		return this.lastRebuild;
	}

	/** Milliseconds the last frame's streaming took. */
	lastFrameMilliseconds(): number {
		return this.lastFrameCost;
	}

	/** The part of the last frame's streaming time outside the emulated engine (with an engine clock, see measureWith). */
	lastFrameGameMilliseconds(): number {
		return this.lastFrameGameCost;
	}

	/** Recent frames' batch sending (flush and log trim) without the emulated engine's share, in milliseconds. */
	sendGameMilliseconds(): SampleSummary {
		return this.sendGameCost.summary();
	}

	currentSettings(): Readonly<StreamingSettings> {
		return this.settings;
	}

	/** Chunks sent to a player with the sequence number they hold (for checks and reports). */
	heldChunks(player: Player): ReadonlyMap<number, number> {
		return this.viewers.get(player)?.held ?? new Map();
	}

	/** The server's data for one chunk: handle → object. */
	chunkObjects(key: number) {
		return this.followed().objectsIn(key);
	}

	/** Objects the server holds in a chunk. */
	countIn(key: number): number {
		return this.followed().countIn(key);
	}

	/** The chunk's current sequence number on the server (bumped by every place and remove in it). */
	chunkSeq(key: number): number {
		return this.followed().seqOf(key);
	}

	/** Whether a chunk is part of the player's own plot (always streamed to them). */
	isPinned(player: Player, key: number): boolean {
		return this.viewers.get(player)?.pinned.has(key) ?? false;
	}

	occupiedChunks(): number[] {
		return this.followed().occupiedChunks();
	}

	chunkOfPlacement(placementId: string): number | undefined {
		return this.followed().chunkOfPlacement(placementId);
	}

	/** Where the server places a player's focus, and what it is. */
	focusOf(player: Player): { kind: "character" | "plot" | "none"; x: number; z: number } | undefined {
		const viewer = this.viewers.get(player);
		return viewer && { kind: viewer.focusKind, x: viewer.focusX, z: viewer.focusZ };
	}

	viewerReport(player: Player): ViewerReport | undefined {
		const viewer = this.viewers.get(player);
		if (viewer === undefined) return undefined;
		const directory = this.followed();
		let objectsHeld = 0;
		for (const [key] of viewer.held) objectsHeld += directory.countIn(key);
		return {
			userId: viewer.userId,
			focus: viewer.focusKind,
			chunksHeld: viewer.held.size(),
			chunksPending: math.max(viewer.wanted.size() - viewer.wantedNext, 0),
			objectsHeld,
			bytesSent: viewer.bytesSent,
			framesToOwnPlot: viewer.framesToOwnPlot,
		};
	}

	status(): StreamingStatus {
		const directory = this.followed();
		const frameMilliseconds = this.frameCost.summary();
		return {
			health: this.errors > 0 || frameMilliseconds.p95 > this.settings.serverMillisecondsPerFrame * 2 ? "degraded" : "healthy",
			errors: this.errors,
			settings: { ...this.settings },
			players: this.order.size(),
			objects: directory.objectCount(),
			chunks: directory.chunkCount(),
			watchedChunks: this.watchers.size(),
			snapshotsSent: this.snapshotsSent,
			objectsStreamed: this.objectsStreamed,
			deltasSent: this.deltasSent,
			deltasQueued: this.deltasQueued,
			backlogSnapshots: this.backlogSnapshots,
			unloadsSent: this.unloadsSent,
			bytesSent: this.bytesSent,
			framesOverBudget: this.framesOverBudget,
			resyncRequests: this.resyncRequests,
			rejectedRequests: this.rejectedRequests,
			maxChunksToOnePlayerInAFrame: this.maxChunksInAFrame,
			frameMilliseconds,
			sendMilliseconds: this.sendCost.summary(),
		};
	}

	private addViewer(player: Player) {
		if (this.viewers.has(player)) return;
		const viewer: Viewer = {
			player,
			userId: player.UserId,
			held: new Map(),
			pinned: new Set(),
			focusKind: "none",
			focusX: 0,
			focusZ: 0,
			computedX: math.huge,
			computedZ: math.huge,
			computedRevision: -1,
			droppedX: math.huge,
			droppedZ: math.huge,
			droppedRevision: -1,
			dropSlack: 0,
			behind: new Set(),
			wanted: [],
			wantedNext: 0,
			writer: new BufferWriter(512),
			records: 0,
			bytesSent: 0,
			joinedFrame: this.frame,
			framesToOwnPlot: -1,
			connections: [],
		};
		// The character is followed by its events, so a frame reads one property (the root's CFrame).
		const follow = (character: Model | undefined) => {
			viewer.character = character;
			viewer.rootPart = undefined;
		};
		viewer.connections.push(this.registry.connect("objectStreaming", player.CharacterAdded, "CharacterAdded", (character) => follow(character)));
		viewer.connections.push(this.registry.connect("objectStreaming", player.CharacterRemoving, "CharacterRemoving", () => follow(undefined)));
		follow(player.Character);
		this.viewers.set(player, viewer);
		this.order.push(viewer);
	}

	private removeViewer(player: Player) {
		const viewer = this.viewers.get(player);
		if (viewer === undefined) return;
		this.viewers.delete(player);
		for (const connection of viewer.connections) connection.Disconnect();
		for (const [key] of viewer.held) this.unhold(viewer, key);
		const index = this.order.indexOf(viewer);
		if (index >= 0) this.order.remove(index);
	}

	/**
	 * A place or remove, as the tracker reports it: one append to the chunk's delta log when some
	 * player holds the chunk (nothing otherwise: a snapshot will carry it). Sent in the next frame's
	 * batches to those players only, within their budgets.
	 */
	private queue(change: ChunkChange, placed: boolean) {
		const watching = this.watchers.get(change.key);
		// A chunk nobody holds has no watcher set (the last to let go removes it).
		if (watching === undefined) return;
		this.deltas.append(change, placed);
		this.dirty.add(change.key);
		this.deltasQueued += 1;
	}

	/** Notes a change of the tracker for the directory to follow (settle). */
	private note(placement: TrackedPlacement, placed: boolean) {
		const index = this.pendingCount;
		this.pendingPlacements[index] = placement;
		this.pendingPlaced[index] = placed;
		this.pendingCount = index + 1;
	}

	/**
	 * The chunk directory once it has followed every change noted so far: what every reader outside
	 * the frame's own step (which settles first) reads.
	 */
	private followed(): ChunkDirectory {
		this.settle();
		return this.directory;
	}

	/** The directory follows every change noted since it last did, in order. */
	private settle() {
		const count = this.pendingCount;
		if (count === 0) return;
		this.pendingCount = 0;
		const placements = this.pendingPlacements;
		const placed = this.pendingPlaced;
		for (let index = 0; index < count; index++) {
			this.safely(placed[index] ? this.followAdded : this.followRemoved, placements[index]);
		}
		placements.clear();
		placed.clear();
	}

	/** The tracker's changes as streaming follows them: made once, so a placement makes no closure. */
	private readonly followAdded = (placement: TrackedPlacement) => this.queue(this.directory.add(placement), true);
	private readonly followRemoved = (placement: TrackedPlacement) => {
		const change = this.directory.remove(placement.id);
		if (change !== undefined) this.queue(change, false);
	};

	/** The players holding a chunk changed since the last frame are behind on it. */
	private markBehind() {
		for (const key of this.dirty) {
			const watching = this.watchers.get(key);
			if (watching !== undefined) for (const viewer of watching) viewer.behind.add(key);
		}
		this.dirty.clear();
	}

	/**
	 * Drops the logs nobody is behind on any more, and those grown past LOG_LIMIT_IN_SNAPSHOTS
	 * snapshots (whoever is still behind on such a chunk gets a snapshot instead).
	 */
	private trimLogs() {
		const keys = this.scratchKeys;
		this.deltas.chunkKeys(keys);
		if (keys.size() === 0) return;
		const needed = this.scratchNeeded;
		needed.clear();
		for (const viewer of this.order) for (const key of viewer.behind) needed.add(key);
		for (const key of this.dirty) needed.add(key);
		for (const key of keys) {
			if (!needed.has(key) || this.deltas.bytesAfter(key, -1) > this.directory.snapshotBytesFor(key, 0) * LOG_LIMIT_IN_SNAPSHOTS) this.deltas.drop(key);
		}
	}

	private hold(viewer: Viewer, key: number, seq: number) {
		viewer.held.set(key, seq);
		let watching = this.watchers.get(key);
		if (watching === undefined) {
			watching = new Set();
			this.watchers.set(key, watching);
		}
		watching.add(viewer);
		if (!viewer.pinned.has(key) && viewer.focusKind !== "none") {
			// The new chunk may be nearer the stream-out radius than the held ones were.
			const chunkSize = this.settings.chunkSize;
			const distance = distanceToChunk(viewer.focusX, viewer.focusZ, chunkX(key), chunkZ(key), chunkSize);
			const moved = math.abs(viewer.focusX - viewer.droppedX) + math.abs(viewer.focusZ - viewer.droppedZ);
			viewer.dropSlack = math.min(viewer.dropSlack, this.settings.streamOutRadius - distance - moved);
		}
	}

	private unhold(viewer: Viewer, key: number) {
		viewer.held.delete(key);
		viewer.behind.delete(key);
		const watching = this.watchers.get(key);
		if (watching === undefined) return;
		watching.delete(viewer);
		if (watching.isEmpty()) this.watchers.delete(key);
	}

	private safely(work: (placement: TrackedPlacement) => void, placement: TrackedPlacement) {
		const [ok, problem] = pcall(work, placement);
		if (!ok) {
			this.errors += 1;
			warn(`object streaming failed to follow a change: ${problem}`);
		}
	}

	private begin(viewer: Viewer) {
		if (viewer.records === 0) beginBatch(viewer.writer, this.settings.chunkSize);
	}

	private updateFocus(viewer: Viewer) {
		const plot = this.plots.plotOfOwner(viewer.userId);
		if (plot !== viewer.pinnedPlot) {
			viewer.pinnedPlot = plot;
			const size = this.settings.chunkSize;
			viewer.pinned = new Set(
				plot === undefined ? [] : chunksOfBox(plot.origin.X, plot.origin.Z, plot.origin.X + PlotConfig.size, plot.origin.Z + PlotConfig.size, size),
			);
			viewer.computedRevision = -1;
			viewer.droppedRevision = -1;
		}
		if (viewer.rootPart === undefined && viewer.character !== undefined) {
			// Roblox may add the root part just after CharacterAdded.
			const root = viewer.character.FindFirstChild("HumanoidRootPart");
			viewer.rootPart = root !== undefined && root.IsA("BasePart") ? root : undefined;
		}
		const root = viewer.rootPart;
		if (root !== undefined) {
			const frame = root.CFrame;
			const x = frame.X;
			const z = frame.Z;
			// The client moves its character: a position that is not a sane number is not believed.
			if (math.abs(x) <= FOCUS_LIMIT && math.abs(z) <= FOCUS_LIMIT) {
				viewer.focusKind = "character";
				viewer.focusX = x;
				viewer.focusZ = z;
				return;
			}
		}
		if (plot !== undefined) {
			viewer.focusKind = "plot";
			viewer.focusX = plot.origin.X + PlotConfig.size / 2;
			viewer.focusZ = plot.origin.Z + PlotConfig.size / 2;
		} else {
			viewer.focusKind = "none";
		}
	}

	private interestOf(viewer: Viewer, streamOutRadius: number): InterestInput {
		const settings = this.settings;
		const none = viewer.focusKind === "none";
		return {
			focusX: viewer.focusX,
			focusZ: viewer.focusZ,
			chunkSize: settings.chunkSize,
			streamInRadius: none ? -1 : settings.streamInRadius,
			streamOutRadius: none ? -1 : streamOutRadius,
			pinned: viewer.pinned,
		};
	}

	/**
	 * Unloads held chunks past the stream-out radius (less DROP_MARGIN). Checked again only once
	 * the focus has moved (Manhattan, which is never less than the distance) as far as the slack
	 * the last check left: until then no held chunk can be past the radius.
	 */
	private dropFarChunks(viewer: Viewer) {
		const moved = math.abs(viewer.focusX - viewer.droppedX) + math.abs(viewer.focusZ - viewer.droppedZ);
		if (moved < viewer.dropSlack && viewer.droppedRevision === this.revision) return;
		viewer.droppedX = viewer.focusX;
		viewer.droppedZ = viewer.focusZ;
		viewer.droppedRevision = this.revision;
		const dropped = this.scratchKeys;
		dropped.clear();
		const settings = this.settings;
		const margin = math.min(DROP_MARGIN, (settings.streamOutRadius - settings.streamInRadius) / 4);
		const radius = viewer.focusKind === "none" ? -1 : settings.streamOutRadius - margin;
		// The slack is measured to the stream-out radius itself, so it is at least the margin.
		viewer.dropSlack = streamOut(viewer.focusX, viewer.focusZ, settings.chunkSize, radius, viewer.pinned, viewer.held, dropped) + margin;
		for (const key of dropped) this.unload(viewer, key);
	}

	/** Tells the player to unload `key` (in their batch) and stops holding it for them. */
	private unload(viewer: Viewer, key: number) {
		this.begin(viewer);
		writeUnload(viewer.writer, key);
		this.unhold(viewer, key);
		viewer.records += 1;
		this.unloadsSent += 1;
	}

	/**
	 * One player's turn: the deltas of the chunks they are behind on, then snapshots of the chunks
	 * coming into their interest, within their byte budget (the frame's first record always goes)
	 * and the server-wide time budget.
	 */
	private serve(viewer: Viewer, frameStarted: number, budget: number, first: boolean) {
		const settings = this.settings;
		const byteBudget = settings.bytesPerPlayerPerFrame;
		let wrote = false;
		// Snapshots this frame, those replacing a backlog included (see chunksPerPlayerPerFrame).
		let chunks = 0;
		// While chunks coming into interest wait, backlog snapshots leave them a share of the limit:
		// all but one, or every other frame when the limit is one, so churn nearby never starves them.
		const limit = settings.chunksPerPlayerPerFrame;
		const newWaiting = viewer.wantedNext < viewer.wanted.size();
		const backlogLimit = !newWaiting ? limit : limit > 1 ? limit - 1 : this.frame % 2;
		for (const key of viewer.behind) {
			if ((wrote || !first) && this.clock() - frameStarted > budget) return this.noteChunks(chunks);
			const held = viewer.held.get(key);
			const current = this.directory.seqOf(key);
			if (held === undefined || held >= current) {
				viewer.behind.delete(key);
				continue;
			}
			const used = viewer.records === 0 ? 0 : viewer.writer.size();
			const snapshotBytes = this.directory.snapshotBytesFor(key, viewer.userId);
			if (!this.deltas.covers(key, held) || this.deltas.bytesAfter(key, held) > snapshotBytes) {
				// The backlog costs more than the chunk itself: a fresh snapshot replaces it (a later frame's,
				// when this one has its share of snapshots already).
				if (wrote && used + snapshotBytes > byteBudget) return this.noteChunks(chunks);
				if (chunks >= backlogLimit) continue;
				this.begin(viewer);
				this.sendSnapshot(viewer, key);
				viewer.behind.delete(key);
				this.backlogSnapshots += 1;
				chunks += 1;
				wrote = true;
				continue;
			}
			this.begin(viewer);
			const result = this.deltaWrite;
			this.deltas.write(key, held, viewer.userId, viewer.writer, byteBudget - viewer.writer.size(), !wrote, result);
			if (result.seq > held) {
				viewer.held.set(key, result.seq);
				viewer.records += result.seq - held;
				this.deltasSent += result.seq - held;
				wrote = true;
			}
			if (result.seq < current) return this.noteChunks(chunks);
			viewer.behind.delete(key);
		}
		const moved = math.abs(viewer.focusX - viewer.computedX) + math.abs(viewer.focusZ - viewer.computedZ);
		const margin = math.min(REFOCUS_DISTANCE, (settings.streamOutRadius - settings.streamInRadius) / 4);
		if (moved >= margin || viewer.computedRevision !== this.revision) {
			viewer.computedX = viewer.focusX;
			viewer.computedZ = viewer.focusZ;
			viewer.computedRevision = this.revision;
			const interest = this.interestOf(viewer, settings.streamOutRadius);
			viewer.wanted = chunksToStreamIn(viewer.focusKind === "none" ? interest : { ...interest, streamInRadius: settings.streamInRadius + margin }, viewer.held);
			viewer.wantedNext = 0;
		}
		while (viewer.wantedNext < viewer.wanted.size() && chunks < settings.chunksPerPlayerPerFrame) {
			const wanted = viewer.wanted[viewer.wantedNext];
			if (viewer.held.has(wanted.key)) {
				viewer.wantedNext += 1;
				continue;
			}
			const used = viewer.records === 0 ? 0 : viewer.writer.size();
			if (wrote && used + this.directory.snapshotBytesFor(wanted.key, viewer.userId) > byteBudget) break;
			// The server-wide budget also holds between snapshots (the frame's first one always goes).
			if ((wrote || !first) && this.clock() - frameStarted > budget) break;
			this.begin(viewer);
			this.sendSnapshot(viewer, wanted.key);
			viewer.wantedNext += 1;
			chunks += 1;
			wrote = true;
		}
		this.noteChunks(chunks);
		if (viewer.framesToOwnPlot < 0 && viewer.pinnedPlot !== undefined) {
			let all = true;
			for (const key of viewer.pinned) {
				if (!viewer.held.has(key)) {
					all = false;
					break;
				}
			}
			if (all) viewer.framesToOwnPlot = this.frame - viewer.joinedFrame;
		}
	}

	private noteChunks(chunks: number) {
		if (chunks > this.maxChunksInAFrame) this.maxChunksInAFrame = chunks;
	}

	/** Appends a chunk's snapshot to the player's batch; they hold it from now on. */
	private sendSnapshot(viewer: Viewer, key: number) {
		this.directory.writeSnapshotFor(viewer.writer, key, viewer.userId);
		this.hold(viewer, key, this.directory.seqOf(key));
		viewer.records += 1;
		this.snapshotsSent += 1;
		this.objectsStreamed += this.directory.countIn(key);
	}

	private flush(viewer: Viewer) {
		if (viewer.records === 0) return;
		const payload = viewer.writer.finish();
		viewer.records = 0;
		viewer.bytesSent += buffer.len(payload);
		this.bytesSent += buffer.len(payload);
		Events.streamBatch.fire(viewer.player, payload);
	}

	private resync(player: Player, cx: number, cz: number) {
		const viewer = this.viewers.get(player);
		const valid = (value: number) => value % 1 === 0 && math.abs(value) <= CHUNK_COORD_LIMIT;
		const key = valid(cx) && valid(cz) ? chunkKey(cx, cz) : undefined;
		// Refused (and counted): not a chunk this player holds. How often a player may ask is the
		// inbound gate's budget for streamResync.
		if (viewer === undefined || key === undefined || !viewer.held.has(key)) {
			this.rejectedRequests += 1;
			return;
		}
		this.resyncRequests += 1;
		// Unloaded now, then sent again as a fresh snapshot once this player's interest asks for it: on
		// their next turn within the stream-in radius, and only when they come closer from between
		// the radii (the server no longer follows it for them, so no copy may stay on the client).
		this.unload(viewer, key);
		viewer.computedRevision = -1;
	}

	/** Every placement the tracker holds is in the directory (a consistency check for reports). */
	tracksEverything(): boolean {
		return this.followed().objectCount() === this.tracker.totalObjects();
	}
}

