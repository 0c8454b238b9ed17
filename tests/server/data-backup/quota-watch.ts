import { expect } from "@rbxts/jest-globals";

/** Counts a schedule reports beside the journal's peaks. */
export interface AcknowledgedCounts {
	readonly placements: number;
	readonly removals: number;
}

/**
 * The journal's peak MemoryStore use across the experience (specs on the backup world stop the
 * fleet registry, so the journal is the only MemoryStore user). `watch` samples every frame of a
 * server until it stops or crashes; `sample` takes one reading by hand.
 */
export class QuotaWatch {
	peakBytes = 0;
	peakItems = 0;
	peakRequestUnits = 0;
	/** The smallest quotas seen while sampling (they grow with the players online). */
	memoryQuota = math.huge;
	requestQuota = math.huge;
	samples = 0;

	sample(server: HeadlessServer) {
		if (!server.isAlive()) return;
		const usage = server.memoryStoreUsage();
		this.samples += 1;
		this.peakBytes = math.max(this.peakBytes, usage.bytesUsed);
		this.peakItems = math.max(this.peakItems, usage.items);
		this.peakRequestUnits = math.max(this.peakRequestUnits, usage.requestUnitsLastMinute);
		this.memoryQuota = math.min(this.memoryQuota, usage.memoryQuotaBytes);
		this.requestQuota = math.min(this.requestQuota, usage.requestUnitsPerMinute);
	}

	/** Samples after every frame `server` runs, for as long as it runs. */
	watch(server: HeadlessServer) {
		this.sample(server);
		server.game.GetService("RunService").Heartbeat.Connect(() => this.sample(server));
	}

	/** Prints the peaks against the quotas and asserts both stay within them. */
	report(name: string, counts: AcknowledgedCounts) {
		print(
			string.format(
				"%s: %d placements and %d removals acknowledged; journal peak %d bytes (%d entries) of a %d-byte memory quota (%.1f%%), peak %d request units a minute of %d (%.1f%%), %d samples",
				name,
				counts.placements,
				counts.removals,
				this.peakBytes,
				this.peakItems,
				this.memoryQuota,
				(100 * this.peakBytes) / this.memoryQuota,
				this.peakRequestUnits,
				this.requestQuota,
				(100 * this.peakRequestUnits) / this.requestQuota,
				this.samples,
			),
		);
		expect(this.samples).toBeGreaterThan(0);
		expect(this.peakBytes).toBeLessThan(this.memoryQuota);
		expect(this.peakRequestUnits).toBeLessThan(this.requestQuota);
	}
}
