import { FleetAnswer, FleetCommandResult } from "shared/admin/admin-types";
import { anyUnderWay } from "shared/admin/format-response";

/** A followed table as it stands: the button label it was run under, and its rows with the late ones merged in. */
export interface FollowedTable {
	readonly label: string;
	readonly result: FleetCommandResult;
	/** True while any row is still under way (more rows follow). */
	readonly underWay: boolean;
}

/**
 * The per-server tables of commands sent to every server that listed servers under way: each
 * server's late row replaces its row as it comes, and a table stops being followed once no row is
 * under way. At most `limit` are followed; past it the oldest is dropped.
 */
export class FollowedFleet {
	/** Oldest first. */
	private readonly tables: { label: string; result: FleetCommandResult }[] = [];

	constructor(private readonly limit: number) {}

	/** Follows `result` under `label` when it lists servers under way; true when it does. */
	follow(label: string, result: FleetCommandResult): boolean {
		if (!anyUnderWay(result.servers)) return false;
		this.forget(result.commandId);
		while (this.tables.size() >= this.limit) this.tables.remove(0);
		this.tables.push({ label, result });
		return true;
	}

	/** Merges late rows into their followed table: the table as it now stands, or undefined when it is not followed. */
	merge(commandId: string, late: readonly FleetAnswer[]): FollowedTable | undefined {
		const followed = this.tables.find((followed) => followed.result.commandId === commandId);
		if (followed === undefined) return undefined;
		followed.result = { commandId, servers: followed.result.servers.map((row) => late.find((answer) => answer.jobId === row.jobId) ?? row) };
		const underWay = anyUnderWay(followed.result.servers);
		if (!underWay) this.forget(commandId);
		return { label: followed.label, result: followed.result, underWay };
	}

	/** The command ids followed, oldest first. */
	followed(): readonly string[] {
		return this.tables.map((followed) => followed.result.commandId);
	}

	private forget(commandId: string) {
		const index = this.tables.findIndex((followed) => followed.result.commandId === commandId);
		if (index >= 0) this.tables.remove(index);
	}
}
