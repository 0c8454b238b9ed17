import { HttpService } from "@rbxts/services";
import { FrameBudget } from "server/performance/frame-budget";
import { StoredPlacement } from "server/player-data/player-data";
import { BackupKind, BackupPayload, BackupRow, PlayerBackup } from "./backup-types";
import { Checksum } from "./checksum";

/** Layout version of BackupPayload. */
export const BACKUP_FORMAT = 1;

/** Characters hashed between two frame-budget checks. */
const HASH_SLICE = 16_384;

export function toRow(placement: StoredPlacement): BackupRow {
	return [placement.id, placement.itemId, placement.x, placement.y, placement.z, placement.rotation, placement.placedAt];
}

function isFiniteNumber(value: unknown): value is number {
	return typeIs(value, "number") && value === value && value !== math.huge && value !== -math.huge;
}

/** The placement a decoded row describes, or undefined when the row is malformed. */
export function fromRow(row: unknown): StoredPlacement | undefined {
	if (!typeIs(row, "table")) return undefined;
	const [id, itemId, x, y, z, rotation, placedAt] = row as unknown[];
	if (!typeIs(id, "string") || !typeIs(itemId, "string")) return undefined;
	if (!isFiniteNumber(x) || !isFiniteNumber(y) || !isFiniteNumber(z)) return undefined;
	if (!isFiniteNumber(rotation) || !isFiniteNumber(placedAt)) return undefined;
	return { id, itemId, x, y, z, rotation, placedAt };
}

export interface EncodedPayload {
	readonly text: string;
	readonly checksum: string;
}

/**
 * Encodes a backup one player at a time and hashes it in slices, yielding between frames
 * through `budget`, so a full server's backup never stalls the game.
 */
export function encodePayload(id: string, kind: BackupKind, players: ReadonlyMap<number, PlayerBackup>, budget: FrameBudget): EncodedPayload {
	const parts: string[] = [`{"format":${BACKUP_FORMAT},"id":${HttpService.JSONEncode(id)},"kind":"${kind}","players":{`];
	let first = true;
	for (const [userId, backup] of players) {
		parts.push(`${first ? "" : ","}"${userId}":${HttpService.JSONEncode(backup)}`);
		first = false;
		budget.spend();
	}
	parts.push("}}");
	const text = parts.join("");
	const checksum = new Checksum();
	for (let start = 1; start <= text.size(); start += HASH_SLICE) {
		checksum.update(text, start, math.min(text.size(), start + HASH_SLICE - 1));
		budget.spend();
	}
	return { text, checksum: checksum.digest() };
}

/** The payload in `text`, or the reason it cannot be one. */
export function decodePayload(text: string, expectedId: string): BackupPayload | string {
	const [ok, decoded] = pcall(() => HttpService.JSONDecode(text));
	if (!ok) return "its data is not valid JSON";
	if (!typeIs(decoded, "table")) return "its data is not a backup";
	const payload = decoded as Partial<BackupPayload>;
	if (payload.format !== BACKUP_FORMAT) return `its format ${tostring(payload.format)} is unknown`;
	if (payload.id !== expectedId) return `it holds backup ${tostring(payload.id)}`;
	if (!typeIs(payload.players, "table")) return "it lists no players";
	return payload as BackupPayload;
}
