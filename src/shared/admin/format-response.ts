import { FleetConfig } from "shared/config/admin-config";
import { AdminCommandOutcome, AdminRefusal, AdminResponse, BackupOutcome, EmergencyResult, FleetAnswer, FleetCommandResult, UnderWayResult } from "./admin-types";
import { countText } from "shared/text/count-text";

/** What follows a table with servers under way (nothing can follow once this server has shut down). */
const FLEET_UNDER_WAY = `Each server under way sends you its outcome when it is done, or is listed as not answering after ${FleetConfig.followUpSeconds} s; nothing follows if this server shuts down first.`;

function when(unixSeconds: number): string {
	return DateTime.fromUnixTimestamp(unixSeconds).FormatUniversalTime("YYYY-MM-DD HH:mm:ss", "en-us");
}

function emergencyText(result: EmergencyResult): string {
	const backup = result.backup;
	let state: string;
	if (result.active) state = `Emergency mode ON${result.reason !== undefined ? `: ${result.reason}` : ""}`;
	else if (backup === undefined) {
		state = result.heldOff === undefined ? "Emergency mode off" : `Emergency mode off; still holding (no new emergency until it clears): ${result.heldOff}`;
	}
	else state = `Emergency mode off (the emergency "${result.reason ?? "?"}" ended before its backup finished)`;
	return backup === undefined ? state : `${state}\n${emergencyBackupText(backup)}`;
}

/** What an emergency backup did, as the panel, chat and the audit's one-line summaries say it. */
export function emergencyBackupText(backup: BackupOutcome): string {
	if (!backup.success) return `emergency backup FAILED: ${backup.error ?? "unknown error"}`;
	return backup.id === undefined ? "emergency backup: nothing to back up" : `emergency backup ${backup.id} stored`;
}

function underWayText(result: UnderWayResult): string {
	const head = result.joined
		? `Already under way (started by ${result.startedBy} ${result.seconds} s ago), not run again: `
		: `Still under way after ${result.seconds} s: `;
	return `${head}${result.progress} Its outcome is sent to you when it is done.`;
}

function fleetRowText(answer: FleetAnswer): string {
	return `${answer.status} — ${answer.summary}`;
}

/** Whether any server of a per-server table is still under way (its row follows later). */
export function anyUnderWay(rows: readonly FleetAnswer[]): boolean {
	return rows.some((answer) => answer.status === "underWay");
}

function fleetTableText(result: FleetCommandResult): string {
	const lines = [`Every server (${result.servers.size()}):`, ...result.servers.map((answer) => `  ${answer.jobId}: ${fleetRowText(answer)}`)];
	if (anyUnderWay(result.servers)) lines.push(FLEET_UNDER_WAY);
	return lines.join("\n");
}

/**
 * What an admin reads when a command they were answered "under way" for is done (or its lane let
 * go of it, without an outcome), or when one server listed under way for a command sent to every
 * server finished (or was given up on).
 */
export function formatOutcome(outcome: AdminCommandOutcome): string {
	const line = outcome.args === "" ? outcome.command : `${outcome.command} ${outcome.args}`;
	const response = outcome.response;
	if (outcome.server !== undefined && response.ok && response.name === "fleetCommand") {
		const servers = response.result.servers;
		const rows = servers.map(fleetRowText).join("\n");
		const finished = servers.every((answer) => answer.status === "done" || answer.status === "failed");
		const head = finished ? `finished on server ${outcome.server}` : `on server ${outcome.server}, still no outcome`;
		return `/${line} ${head} after ${outcome.seconds} s:\n${rows}`;
	}
	// Let go of after giving no outcome in time (its message says so): it has not finished.
	if (!response.ok && response.refusal === AdminRefusal.NoAnswer) return `/${line}: ${response.message}`;
	return `/${line} finished after ${outcome.seconds} s:\n${formatResponse(response)}`;
}

/** The text an admin reads in chat for a command's answer. */
export function formatResponse(response: AdminResponse): string {
	if (!response.ok) return `Refused (${response.refusal}): ${response.message}`;
	switch (response.name) {
		case "systemstatus": {
			const result = response.result;
			const lines = [`System Status: ${result.operationsState} (${result.overall}) — ${countText(result.players, "player")}, ${countText(result.objects, "object")}`];
			for (const system of result.systems) lines.push(`  ${system.name}: ${system.operationsState ?? system.state} (${system.detail})`);
			return lines.join("\n");
		}
		case "systemreport": {
			const result = response.result;
			const metrics = result.performanceMetrics;
			const lines = [
				`Report of ${when(result.generatedAt)} UTC: ${result.systemHealth.overall} (${result.systemHealth.reason})`,
				`  response avg ${string.format("%.1f", metrics.averageResponseTime * 1000)} ms, p95 ${string.format("%.1f", metrics.p95ResponseTime * 1000)} ms, p99 ${string.format("%.1f", metrics.p99ResponseTime * 1000)} ms`,
				`  FPS ${string.format("%.1f", metrics.serverFps)}, frame p99 ${string.format("%.1f", metrics.frameTimeP99 * 1000)} ms, up ${math.floor(metrics.uptime)} s, ${countText(metrics.players, "player")}, ${countText(metrics.objects, "object")}`,
			];
			for (const [name, system] of pairs(result.systemHealth.systems)) lines.push(`${name}: ${system.state} (${system.reason})`);
			for (const [, section] of pairs(result.systemReports)) {
				lines.push(section.title);
				for (const line of section.lines) lines.push(`  ${line.label}: ${line.value}`);
			}
			for (const [name, why] of pairs(result.omittedReports)) lines.push(`${name}: report omitted, ${why}`);
			return lines.join("\n");
		}
		case "forcecleanup":
			return `Cleanup: ${response.result.memoryBeforeMb} MB → ${response.result.memoryAfterMb} MB (${response.result.actions.join(", ")})`;
		case "forcebackup": {
			const result = response.result;
			return result.backupId === undefined
				? `Backup (${result.kind}): nothing changed since the last one`
				: `Backup ${result.backupId} (${result.kind}): ${countText(result.players, "player")}, ${countText(result.placements, "object")}, ${countText(result.size, "character")}`;
		}
		case "recover": {
			const lines = [`Recovery from ${response.result.target}${response.result.preview ? " (preview)" : ""}:`];
			for (const player of response.result.players) {
				lines.push(`  ${player.userId}: ${player.status}, +${player.added} −${player.removed} → ${countText(player.objectsAfter, "object")}. ${player.message}`);
			}
			if (response.result.players.size() === 0) lines.push("  no player was recovered");
			return lines.join("\n");
		}
		case "rollback":
			return `Rolled back ${response.result.userId}: +${response.result.added} −${response.result.removed} → ${countText(response.result.objectsAfter, "object")}`;
		case "restartsystem":
			return `Restart ${response.result.system}: ${response.result.restarted ? "done" : "not restarted"} (${response.result.detail})`;
		case "emergency":
			return emergencyText(response.result);
		case "maintenance":
			return `Maintenance: emergency backup ${response.result.backupSucceeded ? (response.result.backupId ?? "nothing to back up") : "FAILED"}; removing ${countText(response.result.playersToKick, "player")}`;
		case "modlog": {
			if (response.result.size() === 0) return "Moderation log: empty";
			return ["Moderation log:", ...response.result.map((entry) => `  ${when(entry.time)} ${entry.userId} ${entry.action} ${entry.rule}: ${entry.detail}`)].join("\n");
		}
		case "fleet":
			return ["Servers:", ...response.result.map((server) => `  ${server.jobId}: ${server.overall}, ${countText(server.players, "player")}, ${countText(server.objects, "object")}, ${server.memoryMb} MB, ${server.fps} FPS, up ${server.uptime} s`)].join("\n");
		case "preflight":
			return ["Preflight:", ...response.result.map((check) => `  ${check.passed ? "PASS" : "FAIL"} ${check.name}: ${check.detail}`)].join("\n");
		case "alerts":
			if (response.result.size() === 0) return "Alerts: none";
			return ["Alerts:", ...response.result.map((alert) => `  ${when(alert.time)} ${alert.severity} ${alert.system}: ${alert.message}`)].join("\n");
		case "audit": {
			if (response.result.size() === 0) return "Audit: empty";
			return [
				"Audit:",
				...response.result.map(
					(entry) =>
						`  ${when(entry.time)} ${entry.userName} (${entry.role}) ${entry.command} ${entry.args} → ${entry.result}${entry.repeats > 0 ? ` ×${entry.repeats + 1}` : ""}`,
				),
			].join("\n");
		}
		case "announce":
			return `Announced to ${countText(response.result.delivered, "player")}`;
		case "fleetCommand":
			return fleetTableText(response.result);
		case "underWay":
			return underWayText(response.result);
	}
}
