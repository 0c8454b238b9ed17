import { OnStart, Service } from "@flamework/core";
import { HttpService, RunService } from "@rbxts/services";
import { MonitoringConfig } from "shared/config/operations-config";
import { AdminAlert } from "shared/admin/admin-types";
import { AlertService } from "./alert-service";

export interface WebhookSettings {
	enabled: boolean;
	url: string;
}

/**
 * Posts every alert to an optional webhook with HttpService:RequestAsync. Off by default and
 * never in Studio; a failed post is counted and warned, never raised.
 */
@Service()
export class AlertWebhook implements OnStart {
	private settings: WebhookSettings = { ...MonitoringConfig.webhook };
	private sent = 0;
	private failed = 0;
	private lastError?: string;

	constructor(private readonly alerts: AlertService) {}

	onStart() {
		this.alerts.raised.Connect((alert) => {
			if (this.active()) task.spawn(() => this.post(alert));
		});
	}

	configure(settings: Partial<WebhookSettings>) {
		this.settings = { ...this.settings, ...settings };
	}

	/** Whether alerts are posted: enabled, with a URL, outside Studio. */
	active(): boolean {
		return this.settings.enabled && this.settings.url !== "" && !RunService.IsStudio();
	}

	stats() {
		return { sent: this.sent, failed: this.failed, lastError: this.lastError };
	}

	private post(alert: AdminAlert) {
		const [ok, response] = pcall(() =>
			HttpService.RequestAsync({
				Url: this.settings.url,
				Method: "POST",
				Headers: { "Content-Type": "application/json" },
				Body: HttpService.JSONEncode({ content: `[${game.JobId}] ${alert.severity}: ${alert.message}`, alert }),
			}),
		);
		if (ok && response.Success) {
			this.sent += 1;
			return;
		}
		this.failed += 1;
		this.lastError = ok ? `HTTP ${response.StatusCode} ${response.StatusMessage}` : tostring(response);
		warn(`alert webhook failed: ${this.lastError}`);
	}
}
