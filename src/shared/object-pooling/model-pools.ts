import { AbandonedModel, ItemPoolStats, PoolLeak, PoolOptions, PoolingReport } from "./pool-types";

/** Far below the world, where parked models sit when parking by CFrame. */
const PARKED = new CFrame(0, -1e5, 0);

interface IdleModel {
	readonly model: Model;
	readonly since: number;
}

interface ItemPool {
	readonly itemId: string;
	readonly template: Model;
	/** Most recently released last: acquire takes from the end, shrink from the front. */
	readonly idle: IdleModel[];
	inUse: number;
	hits: number;
	misses: number;
	destroyed: number;
}

interface Checkout {
	readonly pool: ItemPool;
	readonly chunkKey: number;
	readonly acquiredAt: number;
	/** When an audit first found it no longer used (see audit). */
	unusedSince?: number;
}

/**
 * Per-item pools of catalog models: `acquire` hands out an idle model (or clones the template),
 * `release` resets it (attributes, tags, highlights, name) and parks it for reuse. Idle models
 * above a floor are destroyed a few per frame once idle long enough; `forceCleanup` destroys
 * every idle model at once. A model still out for a chunk that streamed out is a leak.
 */
export class ModelPools {
	private readonly pools = new Map<string, ItemPool>();
	private readonly out = new Map<Model, Checkout>();
	/** Models out per chunk. */
	private readonly outPerChunk = new Map<number, number>();
	/** Chunks that streamed out with models still out for them, and when (dropped once the last comes back). */
	private readonly streamedOut = new Map<number, number>();

	constructor(
		private readonly templateOf: (itemId: string) => Model,
		private readonly options: PoolOptions,
	) {}

	/** Adds idle models until the item's pool holds `count` idle ones. */
	prewarm(itemId: string, count: number) {
		const pool = this.poolOf(itemId);
		const now = this.options.now();
		while (pool.idle.size() < count) {
			const model = pool.template.Clone();
			this.park(model);
			pool.idle.push({ model, since: now });
		}
	}

	/** A model of `itemId` for an object in chunk `chunkKey`; the caller positions and parents it. */
	acquire(itemId: string, chunkKey: number): Model {
		const pool = this.poolOf(itemId);
		const idle = pool.idle.pop();
		let model: Model;
		if (idle !== undefined) {
			pool.hits += 1;
			model = idle.model;
		} else {
			pool.misses += 1;
			model = pool.template.Clone();
		}
		pool.inUse += 1;
		this.out.set(model, { pool, chunkKey, acquiredAt: this.options.now() });
		this.outPerChunk.set(chunkKey, (this.outPerChunk.get(chunkKey) ?? 0) + 1);
		return model;
	}

	/** Returns a model to its pool: its state is reset and it is parked. False if it was not out. */
	release(model: Model): boolean {
		const checkout = this.out.get(model);
		if (checkout === undefined) return false;
		this.out.delete(model);
		const left = (this.outPerChunk.get(checkout.chunkKey) ?? 1) - 1;
		if (left > 0) this.outPerChunk.set(checkout.chunkKey, left);
		else {
			this.outPerChunk.delete(checkout.chunkKey);
			this.streamedOut.delete(checkout.chunkKey);
		}
		const pool = checkout.pool;
		pool.inUse -= 1;
		this.reset(model, pool);
		this.park(model);
		pool.idle.push({ model, since: this.options.now() });
		return true;
	}

	/** Marks a chunk as streamed out (its models should all come back soon) or back in. */
	chunkStreamedOut(chunkKey: number) {
		if (this.outPerChunk.has(chunkKey)) this.streamedOut.set(chunkKey, this.options.now());
	}

	chunkStreamedIn(chunkKey: number) {
		this.streamedOut.delete(chunkKey);
	}

	/** Destroys idle models above the floor that have been idle long enough; at most `budget`. */
	shrink(budget: number): number {
		const now = this.options.now();
		let destroyed = 0;
		for (const [, pool] of this.pools) {
			while (destroyed < budget && pool.idle.size() > this.options.idleFloor) {
				const oldest = pool.idle[0];
				if (now - oldest.since < this.options.shrinkAfterSeconds) break;
				pool.idle.remove(0);
				oldest.model.Destroy();
				pool.destroyed += 1;
				destroyed += 1;
			}
			if (destroyed >= budget) break;
		}
		return destroyed;
	}

	/**
	 * Destroys idle models now, whatever their idle time, until each item's pool keeps
	 * `keep(idle)` of its `idle` ones (the oldest go first); memory pressure does this.
	 */
	trim(keep: (idle: number) => number): number {
		let destroyed = 0;
		for (const [, pool] of this.pools) {
			const target = math.max(0, keep(pool.idle.size()));
			while (pool.idle.size() > target) {
				const oldest = pool.idle.remove(0)!;
				oldest.model.Destroy();
				pool.destroyed += 1;
				destroyed += 1;
			}
		}
		return destroyed;
	}

	/** Idle models above the floor, over every item. */
	idleAboveFloor(): number {
		let count = 0;
		for (const [, pool] of this.pools) count += math.max(0, pool.idle.size() - this.options.idleFloor);
		return count;
	}

	/** Destroys every idle model now (the spec's ForceCleanup); models in use stay. */
	forceCleanup(): number {
		let destroyed = 0;
		for (const [, pool] of this.pools) {
			for (const idle of pool.idle) idle.model.Destroy();
			destroyed += pool.idle.size();
			pool.destroyed += pool.idle.size();
			pool.idle.clear();
		}
		return destroyed;
	}

	/**
	 * Checks every model out against `inUse` (its user's view): one found unused is remembered
	 * from then on, and reported by `abandoned()` once unused for `leakAfterSeconds`; one used
	 * again is forgotten.
	 */
	audit(inUse: (model: Model) => boolean) {
		const now = this.options.now();
		for (const [model, checkout] of this.out) {
			if (inUse(model)) checkout.unusedSince = undefined;
			else checkout.unusedSince ??= now;
		}
	}

	/** Models out that audits have found unused for at least `leakAfterSeconds`. */
	abandoned(): AbandonedModel[] {
		const now = this.options.now();
		const found: AbandonedModel[] = [];
		for (const [model, checkout] of this.out) {
			const since = checkout.unusedSince;
			if (since === undefined || now - since < this.options.leakAfterSeconds) continue;
			const placementId = model.GetAttribute("PlacementId");
			found.push({
				itemId: checkout.pool.itemId,
				placementId: typeIs(placementId, "string") ? placementId : undefined,
				ageSeconds: now - checkout.acquiredAt,
				secondsUnused: now - since,
			});
		}
		return found;
	}

	/** Models out for chunks that streamed out more than `leakAfterSeconds` ago. */
	leaks(): PoolLeak[] {
		const now = this.options.now();
		const found: PoolLeak[] = [];
		for (const [, checkout] of this.out) {
			const leftAt = this.streamedOut.get(checkout.chunkKey);
			if (leftAt === undefined || leftAt < checkout.acquiredAt) continue;
			if (now - leftAt < this.options.leakAfterSeconds) continue;
			found.push({
				itemId: checkout.pool.itemId,
				chunkKey: checkout.chunkKey,
				ageSeconds: now - checkout.acquiredAt,
				secondsSinceStreamedOut: now - leftAt,
			});
		}
		return found;
	}

	stats(): ItemPoolStats[] {
		const result: ItemPoolStats[] = [];
		for (const [, pool] of this.pools) {
			result.push({
				itemId: pool.itemId,
				size: pool.inUse + pool.idle.size(),
				inUse: pool.inUse,
				idle: pool.idle.size(),
				hits: pool.hits,
				misses: pool.misses,
				destroyed: pool.destroyed,
			});
		}
		result.sort((a, b) => a.itemId < b.itemId);
		return result;
	}

	report(): PoolingReport {
		const items = this.stats();
		let totalSize = 0;
		let totalInUse = 0;
		let totalIdle = 0;
		let hits = 0;
		let misses = 0;
		for (const item of items) {
			totalSize += item.size;
			totalInUse += item.inUse;
			totalIdle += item.idle;
			hits += item.hits;
			misses += item.misses;
		}
		return { parking: this.options.parking, items, totalSize, totalInUse, totalIdle, hits, misses, leaks: this.leaks() };
	}

	private poolOf(itemId: string): ItemPool {
		let pool = this.pools.get(itemId);
		if (pool === undefined) {
			pool = { itemId, template: this.templateOf(itemId), idle: [], inUse: 0, hits: 0, misses: 0, destroyed: 0 };
			this.pools.set(itemId, pool);
		}
		return pool;
	}

	/** Back to the template's state: no attributes, tags or highlights it did not have, its name. */
	private reset(model: Model, pool: ItemPool) {
		for (const [name] of model.GetAttributes()) {
			if (pool.template.GetAttribute(name) === undefined) model.SetAttribute(name, undefined);
		}
		for (const tag of model.GetTags()) {
			if (!pool.template.HasTag(tag)) model.RemoveTag(tag);
		}
		for (const descendant of model.GetDescendants()) {
			if (descendant.IsA("Highlight")) descendant.Destroy();
		}
		model.Name = pool.template.Name;
	}

	private park(model: Model) {
		if (this.options.parking === "parent-nil") {
			model.Parent = undefined;
			return;
		}
		for (const part of model.GetDescendants()) {
			if (part.IsA("BasePart")) part.CFrame = PARKED;
		}
		const folder = this.options.parkingFolderOf?.() ?? this.options.parkingFolder;
		if (model.Parent !== folder) model.Parent = folder;
	}
}
