import { Service } from "@flamework/core";
import { DataStoreService, HttpService } from "@rbxts/services";
import { toRow } from "server/data-backup/backup-codec";
import { BackupRequests, RequestTally } from "server/data-backup/backup-requests";
import { CapturedPlayerBackup, decodeBinaryPayload, encodeBinaryPayload, joinBuffers, splitBuffer } from "server/data-backup/binary-codec";
import { ConflictResolver } from "server/conflict-resolver/conflict-resolver";
import { MemoryManager } from "server/memory-manager/memory-manager";
import { MemoryLevel, nextLevel } from "server/memory-manager/memory-levels";
import { ModerationService } from "server/moderation/moderation-service";
import { MODERATION_RULES, PlacementContext } from "server/moderation/rules";
import { FrameBudget } from "server/performance/frame-budget";
import { PlacementTracker, TrackedPlacement } from "server/placement-tracker/placement-tracker";
import { StoredPlacement } from "server/player-data/player-data";
import { SystemRegistry } from "server/system-manager/system-registry";
import { findItem } from "shared/catalog/catalog";
import { DataStoreNames } from "shared/config/data-stores";
import { MemoryConfig } from "shared/config/memory-config";
import { footprintBox } from "shared/placement/footprint";
import { RejectionReason } from "shared/placement/rejection-reason";

/** Removes `keys` from `store`, each with the backups' retries; returns how many could not be removed. */
function removeScratchKeys(store: DataStore, keys: readonly string[]): number {
	const requests = new BackupRequests(() => 0, () => false);
	const tally: RequestTally = { requests: 0, retries: 0 };
	let left = 0;
	for (const key of keys) {
		const [removed] = pcall(() => requests.run("write", `preflight scratch ${key}`, "emergency", tally, () => store.RemoveAsync(key)));
		if (!removed) left += 1;
	}
	return left;
}

/** The systems the spec's integration test expects. */
const EXPECTED_SYSTEMS = ["placementTracker", "conflictResolver", "moderation", "analytics", "dataBackup", "memoryManager", "objectStreaming", "objectPooling"];
/** A user id no player has (Roblox ids are positive): scratch data is never a real player's. */
const SCRATCH_USER = -424242;
/** Far outside every plot, so the scratch object never meets a real one. */
const SCRATCH_ORIGIN = new Vector3(-50_000, 0, -50_000);

/** The context field each moderation rule counts, for probing it at its threshold. */
const RULE_FIELDS: Record<string, keyof PlacementContext> = {
	maxObjectsPerMinute: "placementsLastMinute",
	maxObjectsInRadius: "objectsInRadius",
	maxSameItemType: "sameItemInRadius",
};

export interface PreflightCheck {
	readonly name: string;
	readonly passed: boolean;
	readonly detail: string;
}

/** What `runPreflight()` found: one entry per check. */
export interface PreflightReport {
	readonly passed: boolean;
	readonly checks: readonly PreflightCheck[];
	/** Virtual seconds the run took. */
	readonly seconds: number;
}

/**
 * The spec's `test_critical_systems_integration`, on a live server: every system up, the
 * placement workflow on a scratch spot with a scratch user, a backup round trip in a scratch
 * DataStore scope, each moderation rule at its threshold, the memory levels against simulated
 * figures. Never touches a real player's data.
 */
@Service()
export class Preflight {
	constructor(
		private readonly registry: SystemRegistry,
		private readonly tracker: PlacementTracker,
		private readonly conflicts: ConflictResolver,
		private readonly moderation: ModerationService,
		private readonly memory: MemoryManager,
	) {}

	run(): PreflightReport {
		const started = time();
		print("🧪 Critical systems integration test");
		const checks: PreflightCheck[] = [];
		const check = (name: string, body: () => string) => {
			const [ok, detail] = pcall(body);
			const entry: PreflightCheck = { name, passed: ok, detail: tostring(detail) };
			checks.push(entry);
			print(`${ok ? "✅" : "❌"} ${name}: ${entry.detail}`);
		};
		check("systems", () => this.systemsUp());
		check("placement workflow", () => this.placementWorkflow());
		check("backup round trip", () => this.backupRoundTrip());
		for (const rule of MODERATION_RULES) check(`moderation ${rule.name}`, () => this.ruleAtThreshold(rule.name));
		check("memory levels", () => this.memoryLevels());
		check("memory reported", () => this.memoryReported());
		const passed = checks.every((entry) => entry.passed);
		const failed = checks.filter((entry) => !entry.passed).size();
		print(passed ? `🎉 All ${checks.size()} checks passed` : `🚨 ${failed} of ${checks.size()} checks failed`);
		return { passed, checks, seconds: time() - started };
	}

	private systemsUp(): string {
		const problems: string[] = [];
		for (const name of EXPECTED_SYSTEMS) if (!this.registry.has(name)) problems.push(`${name} is not initialized`);
		for (const [name, status] of this.registry.statuses()) if (status.state !== "OPERATIONAL") problems.push(`${name} is ${status.state}: ${status.reason}`);
		if (problems.size() > 0) error(problems.join("; "), 0);
		return `${this.registry.names().size()} systems OPERATIONAL`;
	}

	private placementWorkflow(): string {
		const item = findItem("chair")!;
		const stored: StoredPlacement = { id: `preflight-${HttpService.GenerateGUID(false)}`, itemId: item.id, x: 0, y: 0, z: 0, rotation: 0, placedAt: os.time() };
		const position = new Vector3(0, 0, 0);
		const worldPosition = SCRATCH_ORIGIN.add(position);
		const scratch: TrackedPlacement = {
			id: stored.id,
			ownerId: SCRATCH_USER,
			itemId: item.id,
			position,
			rotation: 0,
			placedAt: stored.placedAt,
			worldPosition,
		};
		const worldBox = footprintBox(worldPosition, item.footprint, 0);
		const total = this.tracker.totalObjects();
		const free = this.conflicts.checkSpace(worldBox);
		if (free !== undefined) error(`the scratch spot is not free: ${free}`, 0);
		this.tracker.add(scratch, worldBox);
		this.conflicts.notePlaced(scratch.id);
		const [ok, problem] = pcall(() => {
			const again = this.conflicts.checkSpace(worldBox);
			if (again !== RejectionReason.Conflict) error(`a second object on the same spot in the same frame gave ${again}, not Conflict`, 0);
			const stranger = this.conflicts.checkRemoval(SCRATCH_USER - 1, scratch.id, false);
			if (stranger !== RejectionReason.NotOwner) error(`another user's removal gave ${tostring(stranger)}, not NotOwner`, 0);
			const owner = this.conflicts.checkRemoval(SCRATCH_USER, scratch.id, false);
			if (!typeIs(owner, "table")) error(`the owner's removal was refused: ${owner}`, 0);
		});
		this.tracker.remove(scratch.id);
		if (!ok) error(problem, 0);
		if (this.conflicts.checkRemoval(SCRATCH_USER, scratch.id, false) !== RejectionReason.NotFound) error("the scratch object is still tracked", 0);
		if (this.tracker.totalObjects() !== total) error(`tracked objects went from ${total} to ${this.tracker.totalObjects()}`, 0);
		return `placed, conflict and ownership checked, removed (user ${SCRATCH_USER}, ${total} real objects untouched)`;
	}

	private backupRoundTrip(): string {
		const store = DataStoreService.GetDataStore(DataStoreNames.backups, `preflight-${game.JobId}`.sub(1, 50));
		const placements: StoredPlacement[] = [];
		for (let index = 0; index < 50; index++) placements.push({ id: `p${index}`, itemId: "lamp", x: index, y: 0, z: index, rotation: 90 * (index % 4), placedAt: os.time() });
		const id = `${os.time()}_preflight`;
		const players = new Map<number, CapturedPlayerBackup>([[SCRATCH_USER, { revision: 1, snapshot: placements.map(toRow) }]]);
		// The same binary codec and chunking the backups use.
		const encoded = encodeBinaryPayload(id, "full", players, new FrameBudget(0, false));
		const chunks = splitBuffer(encoded.data, 1024);
		// Noted before each write: a write reported as failed may have been stored all the same.
		const written: string[] = [];
		const read: buffer[] = [];
		const [ok, problem] = pcall(() => {
			for (let index = 0; index < chunks.size(); index++) {
				written.push(`${id}_${index}`);
				store.SetAsync(`${id}_${index}`, chunks[index]);
			}
			for (let index = 0; index < chunks.size(); index++) {
				const chunk = store.GetAsync<unknown>(`${id}_${index}`)[0];
				if (!typeIs(chunk, "buffer")) error(`chunk ${index} did not come back as bytes`, 0);
				read.push(chunk);
			}
		});
		// Removed whatever happened: no retention job ever lists this scope, so a chunk left there would stay.
		const left = removeScratchKeys(store, written);
		const problems: string[] = ok ? [] : [tostring(problem)];
		if (left > 0) problems.push(`${left} scratch chunks could not be removed from scope preflight-${game.JobId}`);
		if (problems.size() > 0) error(problems.join("; "), 0);
		const data = joinBuffers(read);
		if (buffer.len(data) !== buffer.len(encoded.data)) error(`${buffer.len(data)} of ${buffer.len(encoded.data)} bytes came back`, 0);
		const payload = decodeBinaryPayload(data, id, encoded.checksum);
		if (typeIs(payload, "string")) error(`the backup read back is unusable: ${payload}`, 0);
		const rows = payload.players[tostring(SCRATCH_USER)]?.snapshot ?? [];
		if (rows.size() !== placements.size()) error(`${rows.size()} of ${placements.size()} placements came back`, 0);
		return `${placements.size()} placements in ${chunks.size()} chunks written, read back, checksum ${encoded.checksum} verified, removed`;
	}

	private ruleAtThreshold(ruleName: string): string {
		const rule = MODERATION_RULES.find((candidate) => candidate.name === ruleName)!;
		const field = RULE_FIELDS[ruleName];
		// A rule without a probe fails the check: preflight must not pass a rule it did not test.
		if (field === undefined) error("no threshold probe for this rule (add it to RULE_FIELDS)", 0);
		const limits = this.moderation.settings();
		const limit = limits[ruleName as keyof typeof limits] as number;
		const context = (count: number): PlacementContext => ({
			ownerId: SCRATCH_USER,
			itemId: "chair",
			placementsLastMinute: 0,
			objectsInRadius: 0,
			sameItemInRadius: 0,
			[field]: count,
		});
		if (rule.check(context(limit - 1), limits) !== undefined) error(`refused at ${limit - 1}, under the limit ${limit}`, 0);
		const refusal = rule.check(context(limit), limits);
		if (refusal === undefined) error(`allowed at the limit ${limit}`, 0);
		return `allowed at ${limit - 1}, refused at ${limit} (${refusal})`;
	}

	/** The server's own memory figure as the memory manager reports it now. */
	private memoryReported(): string {
		const report = this.memory.generateMemoryReport();
		if (!(report.currentMemory > 0) || report.samples === 0) error(`no memory figure yet (${report.currentMemory} MB, ${report.samples} samples)`, 0);
		return string.format("%.1f MB now (%s), peak %.1f MB, %d samples, %s preset", report.currentMemory, report.level, report.peakMemory, report.samples, report.preset);
	}

	private memoryLevels(): string {
		const thresholds = this.memory.generateMemoryReport().thresholds;
		const hysteresis = MemoryConfig.hysteresisMb;
		const figures = [thresholds.warning - 1, thresholds.warning, thresholds.critical, thresholds.emergency, thresholds.warning + 1, thresholds.warning - hysteresis - 1];
		const expected: MemoryLevel[] = ["normal", "warning", "critical", "emergency", "warning", "normal"];
		let level: MemoryLevel = "normal";
		const seen: string[] = [];
		for (let index = 0; index < figures.size(); index++) {
			level = nextLevel(level, figures[index], thresholds, hysteresis);
			seen.push(`${figures[index]}→${level}`);
			if (level !== expected[index]) error(`${figures[index]} MB gave ${level}, expected ${expected[index]} (${seen.join(", ")})`, 0);
		}
		return seen.join(", ");
	}
}
