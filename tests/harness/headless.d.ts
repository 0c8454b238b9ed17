/** Traffic counted on one client's connection, in bytes and messages. */
interface HeadlessTraffic {
	readonly bytesToServer: number;
	readonly bytesToClient: number;
	readonly messagesToServer: number;
	readonly messagesToClient: number;
}

/** One DataStore request as fault filters see it. */
interface HeadlessDataStoreRequest {
	/** The method, e.g. "SetAsync" or "ListKeysAsync". */
	readonly operation: string;
	/** The Enum.DataStoreRequestType name whose budget it uses. */
	readonly requestType: string;
	readonly isWrite: boolean;
	readonly name?: string;
	readonly scope?: string;
	readonly key?: string;
}

/** Deterministic DataStore faults for one server peer; failures use the message of `code` (default 502). */
interface HeadlessDataStoreFaults {
	/** The next `count` requests fail without taking effect. */
	failNext(count: number, code?: number): void;
	/** Each request fails with probability `rate`, drawn from a generator seeded with `seed`. */
	setFailureRate(rate: number, seed?: number, code?: number): void;
	/** Every request waits this many seconds of virtual time before it takes effect. */
	setLatency(seconds: number): void;
	/** The next `count` writes are stored, then reported as failed. */
	failAfterWrite(count: number, code?: number): void;
	/** Limits every fault to the requests `predicate` accepts (asked once per request; a filter set while a request waits is asked when it next meets a fault); undefined removes the limit. */
	filter(predicate: ((request: HeadlessDataStoreRequest) => boolean) | undefined): void;
	clear(): void;
}

/** One MemoryStore request as fault filters see it. */
interface HeadlessMemoryStoreRequest {
	/** The method, e.g. "SetAsync" or "GetRangeAsync". */
	readonly operation: string;
	/** "hash", "sorted" or "queue". */
	readonly requestType: string;
	readonly isWrite: boolean;
	/** The map's name. */
	readonly name?: string;
	readonly key?: string;
}

/**
 * Deterministic MemoryStore faults for one server peer; failures read "Code: <status>, Error: …"
 * with the documented description of `status` (default "InternalError").
 */
interface HeadlessMemoryStoreFaults {
	/** The next `count` requests fail without taking effect. */
	failNext(count: number, status?: string): void;
	/** Each request fails with probability `rate`, drawn from a generator seeded with `seed`. */
	setFailureRate(rate: number, seed?: number, status?: string): void;
	/** Every request waits this many seconds of virtual time before it takes effect. */
	setLatency(seconds: number): void;
	/** The next `count` writes are stored, then reported as failed. */
	failAfterWrite(count: number, status?: string): void;
	/** Limits every fault to the requests `predicate` accepts (asked once per request; a filter set while a request waits is asked when it next meets a fault); undefined removes the limit. */
	filter(predicate: ((request: HeadlessMemoryStoreRequest) => boolean) | undefined): void;
	clear(): void;
}

/** The experience's MemoryStore figures, as the observability dashboard shows them. */
interface HeadlessMemoryStoreUsage {
	readonly bytesUsed: number;
	/** 64 KB + 1.2 KB per user (the peak of the last eight days). */
	readonly memoryQuotaBytes: number;
	readonly items: number;
	/** Request units of the last 60 s, every server of the experience together. */
	readonly requestUnitsLastMinute: number;
	/** 1000 + 120 per concurrent user. */
	readonly requestUnitsPerMinute: number;
	readonly concurrentUsers: number;
}

/** A running DataModel: the server or a client. */
interface HeadlessPeer {
	readonly name: string;
	readonly kind: "server" | "client";
	readonly game: DataModel;
	isAlive(): boolean;
	/** The peer's own copy of a module (the one its scripts use), not the spec's. */
	require(module: ModuleScript): unknown;
	/** An instance by dotted path from the DataModel, e.g. "ReplicatedStorage.TS.network". */
	find(path: string): Instance | undefined;
	requirePath(path: string): unknown;
	/** Instance.new in this peer (a spec's own Instance.new creates in the spec's peer). */
	create<T extends keyof CreatableInstances>(className: T, parent?: Instance): CreatableInstances[T];
	/** Everything the peer printed or warned, as "print: …" / "warn: …" / "error: …". */
	output(): string[];
	threadErrorCount(): number;
}

/** One outbound HTTP request a server made (RequestAsync, GetAsync or PostAsync). */
interface HeadlessHttpRequest {
	readonly url: string;
	readonly method: string;
	readonly headers: Record<string, string>;
	readonly body?: string;
	/** True when HttpEnabled was off and the call raised Roblox's error. */
	readonly refused: boolean;
	/** Virtual seconds when it was made. */
	readonly time: number;
}

/** What a spec's HTTP responder answers; StatusMessage defaults from the code. */
interface HeadlessHttpAnswer {
	StatusCode: number;
	StatusMessage?: string;
	Headers?: Record<string, string>;
	Body?: string;
}

interface HeadlessServer extends HeadlessPeer {
	readonly kind: "server";
	readonly jobId: string;
	dataStoreFaults(): HeadlessDataStoreFaults;
	requestBudget(requestType: string): number;
	memoryStoreFaults(): HeadlessMemoryStoreFaults;
	/** MessagingService is best-effort: while set, this server misses every message sent to it. */
	setDropsMessages(drops: boolean): void;
	/** The figures of the memory store this server's experience shares. */
	memoryStoreUsage(): HeadlessMemoryStoreUsage;
	/** Every outbound HTTP request so far, refused ones included. */
	httpRequests(): HeadlessHttpRequest[];
	/** Answers outbound HTTP while HttpEnabled is on (the emulation has no network). */
	setHttpResponder(responder: ((request: { Url: string; Method: string; Headers: Record<string, string>; Body?: string }) => HeadlessHttpAnswer) | undefined): void;
	/** HttpEnabled as the game settings would set it (scripts cannot). */
	setHttpEnabled(enabled: boolean): void;
}

interface HeadlessClient extends HeadlessPeer {
	readonly kind: "client";
	/** The Player object on the server. */
	readonly player: Player;
	localPlayer(): Player | undefined;
	kickReason(): string | undefined;
	traffic(): HeadlessTraffic;
	disconnect(): void;
	/** Input a person gives (see tests/runtime/README.md, "Input, camera, raycasts and GUI"). */
	keyDown(keyCode: Enum.KeyCode): void;
	keyUp(keyCode: Enum.KeyCode): void;
	/** Key down then up. Gamepad buttons (ButtonX, DPadUp, …) arrive as Gamepad1 input. */
	pressKey(keyCode: Enum.KeyCode): void;
	/** Types text into the focused TextBox, one character at a time (fails when none has focus). */
	typeText(text: string): void;
	/** Moves the mouse to a viewport point (pixels from the top left of the fixed viewport). */
	moveMouse(x: number, y: number): void;
	mouseDown(button?: Enum.UserInputType): void;
	mouseUp(button?: Enum.UserInputType): void;
	/** Moves the mouse there (when given), then presses and releases the left button. */
	click(x?: number, y?: number): void;
	/**
	 * Makes this client a touch device (TouchEnabled; no mouse or keyboard). Touch buttons are made
	 * when actions bind, so prefer the join option `touch`.
	 */
	setTouchEnabled(enabled: boolean): void;
	/** One finger taps a viewport point (touch devices only). */
	tap(x: number, y: number): void;
}

/** A DataStore backend that server peers can share. */
interface HeadlessDataStore {
	readonly id: number;
}

interface HeadlessServerOptions {
	name?: string;
	/** Run the place's server scripts (default true). */
	runScripts?: boolean;
	/** An empty DataModel instead of the place. */
	empty?: boolean;
	/**
	 * The DataStore backend; servers share the world's default one unless given another. Servers
	 * on the same backend are one experience and share its MemoryStore too.
	 */
	dataStore?: HeadlessDataStore;
	/** Players.MaxPlayers of this server (default 50); joins past it are refused. */
	maxPlayers?: number;
	/** RunService:IsStudio() answers true on this server and its clients (Studio play-solo). */
	studio?: boolean;
	/** game.PrivateServerId and game.PrivateServerOwnerId of a private server. */
	privateServerId?: string;
	privateServerOwnerId?: number;
}

interface HeadlessPlayerInfo {
	userId: number;
	name?: string;
	displayName?: string;
	/** Run the client's LocalScripts (default true). */
	runScripts?: boolean;
	/** The player's rank in each group by group id (Player:GetRankInGroup answers 0 for others). */
	groupRanks?: Record<number, number>;
	/** The client is a touch device (a phone) from the start: see HeadlessClient.setTouchEnabled. */
	touch?: boolean;
}

interface HeadlessApi {
	createServer(options?: HeadlessServerOptions): HeadlessServer;
	/** Joins a player and returns once the client has the world and runs its scripts. */
	connectClient(server: HeadlessServer, player: HeadlessPlayerInfo): HeadlessClient;
	/** Graceful shutdown: players leave, BindToClose callbacks run (up to 30 s). */
	stopServer(server: HeadlessServer): void;
	/** The server stops at once: no BindToClose, no saves. */
	crashServer(server: HeadlessServer): void;
	/** Lets `count` frames pass (default 1). */
	frames(count?: number): void;
	/** Lets `seconds` of virtual time pass. */
	seconds(seconds: number): void;
	/**
	 * Jumps the virtual clock `seconds` forward without running the frames in between (as if every
	 * peer hung that long: no Heartbeat, no messages), then runs one frame in which every wait and
	 * delay that came due resumes, in wake order. Expiry (MemoryStore items, caches) follows the
	 * clock. For stretches too long to run frame by frame (hours).
	 */
	skipTime(seconds: number): void;
	now(): number;
	frame(): number;
	/**
	 * Real seconds, for benchmarks only: Luau's os.clock, a monotonic wall clock (not CPU time, so
	 * other load on the machine shows in it). Specs must stay on virtual time.
	 */
	realClock(): number;
	/**
	 * Resumes the engine has spent, so far, waiting on the host programs behind EncodingService
	 * (zstd, b2sum). Each takes a slot of Lune's reference stack for good, and a million abort the
	 * process, so the engine paces them; its specs hold the count per call small.
	 */
	hostWaitResumes(): number;
	/** Benchmarks only: the live heap in KB, after driving the collector through a whole cycle (scripts cannot force one, on Roblox or here). */
	settledHeap(): number;
	/** Real seconds spent inside the emulated engine (Instance methods, property writes, the frame loop's own work) while measuring; benchmarks subtract it to report the game's own time. */
	engineTime(): number;
	/** Turns engine-time measuring on or off (the bench runner turns it on; it costs two clock reads per engine call). */
	measureEngineTime(on: boolean): void;
	/** Runs `fn`; thread errors reported meanwhile are returned instead of failing the run. */
	captureErrors(fn: () => void): string[];
	/**
	 * Sets what Stats reports (MB); `server` limits it to that peer. `reset` goes back to the
	 * figures derived from what the peer holds (baseline + its share of the Luau heap + its
	 * Instances at a per-class estimate).
	 */
	setMemory(figures: { totalMb?: number; byTag?: Record<string, number>; reset?: boolean; server?: HeadlessPeer }): void;
	newDataStore(): HeadlessDataStore;
	/** Words TextService's filter hides (as '#'s) from now on; an empty list hides nothing. */
	setFilteredWords(words: string[]): void;
	peers(): HeadlessPeer[];
}

declare const Headless: HeadlessApi;
