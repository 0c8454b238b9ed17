import { Service } from "@flamework/core";
import Signal from "@rbxts/signal";
import { MonitoringConfig } from "shared/config/operations-config";
import { AdminAlert } from "shared/admin/admin-types";

/**
 * Operations alerts: warned in the server log, sent to admins online (through `raised`), and kept in a ring
 * buffer the admin commands read.
 */
@Service()
export class AlertService {
	/** Fires for every alert (AdminService sends it to moderators and above; the webhook sender posts it). */
	readonly raised = new Signal<(alert: AdminAlert) => void>();
	private readonly buffer: AdminAlert[] = [];
	private sequence = 0;

	raise(severity: AdminAlert["severity"], source: string, message: string): AdminAlert {
		this.sequence += 1;
		const alert: AdminAlert = { sequence: this.sequence, time: os.time(), severity, system: source, message };
		this.buffer.push(alert);
		if (this.buffer.size() > MonitoringConfig.alertBufferSize) this.buffer.remove(0);
		if (severity === "info") print(`ℹ️ ${message}`);
		else warn(`🚨 ${severity === "critical" ? "CRITICAL ALERT" : "SYSTEM ALERT"}: ${message}`);
		this.raised.Fire(alert);
		return alert;
	}

	/** The newest alerts, oldest first (at most `count`). */
	recent(count = MonitoringConfig.alertBufferSize): AdminAlert[] {
		const result: AdminAlert[] = [];
		for (let index = math.max(0, this.buffer.size() - count); index < this.buffer.size(); index++) result.push(this.buffer[index]);
		return result;
	}
}
