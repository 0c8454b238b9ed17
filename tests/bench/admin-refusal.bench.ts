import type { AdminService } from "server/admin/admin-service";
import type { AuditService } from "server/admin/audit-service";
import type { BuildService } from "server/builds/build-service";
import { AdminConfig } from "shared/config/admin-config";
import { splitLabel, timeSplit } from "../harness/bench-timing";
import { singletonOf, waitUntil, World } from "../harness/world";

const CALLS = 10000;

/**
 * Server time per admin call that is refused (a visitor flooding, rate-limited or not allowed)
 * against an allowed `systemstatus`, and how many audit entries each flood leaves in memory.
 */
export function run() {
	const world = new World();
	const server = world.startServer({ dataStore: Headless.newDataStore() });
	const root = "ServerScriptService.TS";
	const admin = singletonOf<AdminService>(server, `${root}.admin.admin-service`, "AdminService");
	const audit = singletonOf<AuditService>(server, `${root}.admin.audit-service`, "AuditService");
	const builds = singletonOf<BuildService>(server, `${root}.builds.build-service`, "BuildService");
	world.join(server, { userId: 5000, name: "Visitor", runScripts: false });
	world.join(server, { userId: 1, name: "Owner", runScripts: false });
	waitUntil(() => builds.isLoaded(5000) && builds.isLoaded(1), 60, "the builds to load");
	const players = server.game.GetService("Players");
	const visitor = players.GetPlayerByUserId(5000)!;
	const owner = players.GetPlayerByUserId(1)!;

	const measure = (label: string, caller: Player, burst: number) => {
		admin.configureRateLimit(burst, burst > CALLS ? burst : AdminConfig.rateLimit.perSecond);
		const entriesBefore = audit.stats().pending;
		const split = timeSplit(() => {
			for (let call = 0; call < CALLS; call++) admin.execute(caller, { name: "systemstatus" });
		});
		const entries = audit.stats().pending - entriesBefore;
		print(`${label}: ${splitLabel(split, CALLS)} per call (one run of ${CALLS}), ${entries} audit entries for ${CALLS} calls`);
		audit.flush();
		return split.total / CALLS;
	};

	const rateLimited = measure("visitor flood, rate-limited", visitor, AdminConfig.rateLimit.burst);
	const notAllowed = measure("visitor flood, no rate limit (refused by role)", visitor, CALLS * 10);
	const allowed = measure("owner, systemstatus allowed", owner, CALLS * 10);
	print(`ratio allowed / rate-limited refusal: ${string.format("%.1f", allowed / rateLimited)}x; allowed / role refusal: ${string.format("%.1f", allowed / notAllowed)}x`);
	world.stop();
}
