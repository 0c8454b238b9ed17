import { AdminResponse, AlertLine } from "shared/admin/admin-types";
import { formatResponse } from "shared/admin/format-response";
import { countText } from "shared/text/count-text";

function clock(unixSeconds: number): string {
	return DateTime.fromUnixTimestamp(unixSeconds).FormatUniversalTime("HH:mm:ss", "en-us");
}

/** A refusal as a section shows it: the server's message and its reason, nothing made up. */
function refusalText(title: string, response: AdminResponse & { ok: false }): string {
	return `${title}: ${response.message} (${response.refusal})`;
}

/** The status section: overall, players, objects, then one line per system. */
export function statusText(response: AdminResponse | undefined, refreshedAt: number | undefined): string {
	if (response === undefined) return "Status: asking the server…";
	if (!response.ok) return refusalText("Status", response);
	if (response.name !== "systemstatus") return formatResponse(response);
	const result = response.result;
	const updated = refreshedAt !== undefined ? ` · updated ${clock(refreshedAt)} UTC` : "";
	const lines = [`Overall: ${result.overall} · ${countText(result.players, "player")} · ${countText(result.objects, "object")}${updated}`];
	for (const system of result.systems) lines.push(`${system.name}: ${system.state} — ${system.detail}`);
	return lines.join("\n");
}

/** A section filled by one command (the report, the fleet): its answer, or why there is none. */
export function sectionText(title: string, response: AdminResponse | undefined): string {
	if (response === undefined) return `${title}: asking the server…`;
	if (!response.ok) return refusalText(title, response);
	return formatResponse(response);
}

/** Alerts pushed while the panel's client ran, newest first, then what the ring buffer said. */
export function alertsText(alerts: readonly AlertLine[], history: AdminResponse | undefined): string {
	const lines = ["Alerts:"];
	for (const alert of alerts) lines.push(`${clock(alert.time)} [${alert.severity}] ${alert.system}: ${alert.message}`);
	if (alerts.size() === 0) lines.push("none since you joined");
	if (history !== undefined && !history.ok) lines.push(refusalText("Earlier alerts", history));
	else if (history !== undefined && history.name === "alerts") lines.push(`Earlier alerts: ${history.result.size()} in the server's buffer (press Alerts)`);
	return lines.join("\n");
}
