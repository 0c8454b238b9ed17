import { AdminResponse } from "shared/admin/admin-types";

const BACKUP_ID_PATTERN = "^%d+_%d+$";

/**
 * The backup ids an answer names: the backup a `forcebackup` wrote, an emergency's backup, the
 * last backup in the status's dataBackup line and in the report's dataBackup section. No command
 * lists every backup, so the panel offers the ones its answers named.
 */
export function backupIdsIn(response: AdminResponse): string[] {
	if (!response.ok) return [];
	const found: string[] = [];
	const add = (id: string | undefined) => {
		if (id !== undefined && id.match(BACKUP_ID_PATTERN)[0] !== undefined) found.push(id);
	};
	if (response.name === "forcebackup") add(response.result.backupId);
	if (response.name === "emergency") add(response.result.backup?.id);
	if (response.name === "systemstatus") {
		for (const system of response.result.systems) if (system.name === "dataBackup") add(system.detail.match("last backup (%d+_%d+)")[0] as string | undefined);
	}
	if (response.name === "systemreport") {
		for (const line of response.result.systemReports.dataBackup?.lines ?? []) if (line.label === "lastBackupId") add(line.value);
	}
	return found;
}

/** A backup id's time and sequence ("1767225600_3" is 1767225600, 3). */
function orderOf(id: string): [number, number] {
	const [time, sequence] = id.match("^(%d+)_(%d+)$");
	return [tonumber(time) ?? 0, tonumber(sequence) ?? 0];
}

/** `known` and `ids` together without repeats, newest first (by the id's time, then sequence), at most `max` long. */
export function rememberBackups(known: readonly string[], ids: readonly string[], max: number): string[] {
	const merged: string[] = [];
	for (const id of [...known, ...ids]) if (!merged.includes(id)) merged.push(id);
	merged.sort((a, b) => {
		const [timeA, sequenceA] = orderOf(a);
		const [timeB, sequenceB] = orderOf(b);
		return timeA !== timeB ? timeA > timeB : sequenceA > sequenceB;
	});
	while (merged.size() > max) merged.pop();
	return merged;
}
