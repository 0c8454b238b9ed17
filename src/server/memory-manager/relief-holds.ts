import { ReliefSource } from "./memory-relief";

/**
 * Which sources hold a relief step: each holds at most one, and only it gives its own back, so
 * the relief in force is one step per holder and none once nobody holds any. Engine-free.
 */
export class ReliefHolds {
	private readonly holders: ReliefSource[] = [];

	/** Records `source`'s hold; false when it already held one. */
	hold(source: ReliefSource): boolean {
		if (this.holders.includes(source)) return false;
		this.holders.push(source);
		return true;
	}

	/** Gives back `source`'s hold; false when it held none (nothing of its own to give back). */
	release(source: ReliefSource): boolean {
		const index = this.holders.indexOf(source);
		if (index === -1) return false;
		this.holders.remove(index);
		return true;
	}

	count(): number {
		return this.holders.size();
	}

	/** The holders, first holder first. */
	list(): ReliefSource[] {
		return [...this.holders];
	}
}
