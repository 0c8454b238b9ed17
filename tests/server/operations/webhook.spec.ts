import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import type { AlertService } from "server/operations/alert-service";
import type { AlertWebhook } from "server/operations/alert-webhook";
import { MonitoringConfig } from "shared/config/operations-config";
import { singletonOf, World } from "../../harness/world";

const URL = "https://hooks.example.com/alerts";

describe("the optional alert webhook", () => {
	const world = new World();
	let server: HeadlessServer;
	let alerts: AlertService;
	let webhook: AlertWebhook;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		Headless.frames(2);
		alerts = singletonOf(server, "ServerScriptService.TS.operations.alert-service", "AlertService");
		webhook = singletonOf(server, "ServerScriptService.TS.operations.alert-webhook", "AlertWebhook");
	});
	afterAll(() => world.stop());

	it("is off by default: an alert makes no request", () => {
		expect(MonitoringConfig.webhook).toEqual({ enabled: false, url: "" });
		expect(webhook.active()).toBe(false);
		const before = server.httpRequests().size();
		alerts.raise("warning", "spec", "memory high");
		Headless.frames(2);
		expect(server.httpRequests().size()).toBe(before);
	});

	it("when enabled, posts each alert as JSON to the configured URL", () => {
		server.setHttpEnabled(true);
		server.setHttpResponder(() => ({ StatusCode: 204 }));
		webhook.configure({ enabled: true, url: URL });
		const before = server.httpRequests().size();
		alerts.raise("critical", "emergency", "Emergency mode: drill. Building is paused.");
		Headless.frames(2);
		const requests = server.httpRequests();
		expect(requests.size()).toBe(before + 1);
		const request = requests[requests.size() - 1];
		expect(request).toMatchObject({ url: URL, method: "POST", refused: false });
		expect(request.headers["Content-Type"]).toBe("application/json");
		const body = HttpService.JSONDecode(request.body!) as { content: string; alert: { severity: string; message: string } };
		expect(body.alert).toMatchObject({ severity: "critical", message: "Emergency mode: drill. Building is paused." });
		expect(body.content).toBe(`[${server.jobId}] critical: Emergency mode: drill. Building is paused.`);
		expect(webhook.stats().sent).toBe(1);
	});

	it("counts a failed post (HTTP refused, or an error status) and the game goes on", () => {
		server.setHttpResponder(() => ({ StatusCode: 500, StatusMessage: "Internal Server Error" }));
		alerts.raise("warning", "spec", "slow responses");
		Headless.frames(2);
		expect(webhook.stats()).toMatchObject({ failed: 1, lastError: "HTTP 500 Internal Server Error" });
		server.setHttpEnabled(false);
		const errors = server.threadErrorCount();
		alerts.raise("warning", "spec", "low fps");
		Headless.frames(2);
		const last = server.httpRequests().pop()!;
		expect(last.refused).toBe(true);
		expect(webhook.stats().failed).toBe(2);
		expect(webhook.stats().lastError).toMatch("Http requests are not enabled");
		expect(server.threadErrorCount()).toBe(errors);
	});
	it("never posts from Studio, even when enabled", () => {
		const studio = world.startServer({ dataStore: Headless.newDataStore(), studio: true });
		Headless.frames(2);
		studio.setHttpEnabled(true);
		studio.setHttpResponder(() => ({ StatusCode: 204 }));
		const studioWebhook = singletonOf<AlertWebhook>(studio, "ServerScriptService.TS.operations.alert-webhook", "AlertWebhook");
		const studioAlerts = singletonOf<AlertService>(studio, "ServerScriptService.TS.operations.alert-service", "AlertService");
		studioWebhook.configure({ enabled: true, url: URL });
		expect(studioWebhook.active()).toBe(false);
		studioAlerts.raise("critical", "spec", "raised in Studio");
		Headless.frames(2);
		expect(studio.httpRequests().size()).toBe(0);
		expect(studioWebhook.stats().sent).toBe(0);
	});
});
