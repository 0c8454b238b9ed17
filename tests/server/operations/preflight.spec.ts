import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import type { PreflightReport } from "server/operations/preflight";
import type { SystemManager } from "server/system-manager/system-manager";
import { World } from "../../harness/world";
import { PERMISSIVE, ServerSystems, joinBuilder, systemsOf } from "../placement/placement-world";
import { backupStore } from "../data-backup/backup-world";
import { GridBuilder, SYSTEM_MODULES, patchMethod, preflightScope } from "./operations-world";

describe("preflight: the spec's test_critical_systems_integration on a live server", () => {
	const world = new World();
	let server: HeadlessServer;
	let systems: ServerSystems;
	let manager: SystemManager;

	beforeAll(() => {
		server = world.startServer({ dataStore: Headless.newDataStore() });
		systems = systemsOf(server);
		systems.moderation.configure(PERMISSIVE);
		manager = systems.systems;
		const builder = new GridBuilder(joinBuilder(world, server, 4601, "Builder").controller);
		for (let index = 0; index < 4; index++) {
			Headless.seconds(0.5);
			expect(builder.placeOne().success).toBe(true);
		}
	});
	afterAll(() => world.stop());

	it("passes every check, one printed line each, without touching real data", () => {
		const tracked = systems.tracker.totalObjects();
		const revision = systems.builds.snapshotOf(4601).size();
		const outputBefore = server.output().size();
		const report = manager.runPreflight();
		expect(report.checks.map((check) => check.name)).toEqual([
			"systems",
			"placement workflow",
			"backup round trip",
			"moderation maxObjectsPerMinute",
			"moderation maxObjectsInRadius",
			"moderation maxSameItemType",
			"memory levels",
			"memory reported",
		]);
		expect(report.checks[report.checks.size() - 1].detail).toMatch("^%d+%.%d MB now %(normal%), peak ");
		for (const check of report.checks) expect(`${check.name}: ${check.passed} ${check.detail}`).toMatch(`^${check.name}: true`);
		expect(report.passed).toBe(true);
		const printed = server.output().filter((line, index) => index >= outputBefore);
		expect(printed[0]).toBe("print: 🧪 Critical systems integration test");
		expect(printed.filter((line) => line.match("^print: ✅")[0] !== undefined).size()).toBe(report.checks.size());
		expect(printed[printed.size() - 1]).toBe(`print: 🎉 All ${report.checks.size()} checks passed`);
		expect(report.checks[5].detail).toBe("allowed at 999, refused at 1000 (1000 × chair within 50 studs (limit 1000))");
		expect(systems.tracker.totalObjects()).toBe(tracked);
		expect(systems.builds.snapshotOf(4601).size()).toBe(revision);
	});

	it("runs as the ModuleScript the spec requires from the command bar", () => {
		const module = server.find("ServerScriptService.test_critical_systems_integration");
		expect(module?.IsA("ModuleScript")).toBe(true);
		const report = server.requirePath("ServerScriptService.test_critical_systems_integration") as PreflightReport;
		expect(report.passed).toBe(true);
	});

	it("fails the systems check, saying which system and why, when one is not OPERATIONAL", () => {
		const [modulePath, exportName] = SYSTEM_MODULES.dataBackup;
		const restore = patchMethod(server, modulePath, exportName, "status", () => ({ state: "DEGRADED", reason: "2 backups failed in a row" }));
		Headless.frames(1);
		const report = manager.runPreflight();
		restore();
		expect(report.passed).toBe(false);
		expect(report.checks[0]).toEqual({ name: "systems", passed: false, detail: "dataBackup is DEGRADED: 2 backups failed in a row" });
		expect(server.output()).toContain("print: ❌ systems: dataBackup is DEGRADED: 2 backups failed in a row");
		expect(server.output()).toContain("print: 🚨 1 of 8 checks failed");
	});

	it("removes its scratch chunks from the live backup store even when writing them fails part way", () => {
		const scope = preflightScope(server);
		const faults = server.dataStoreFaults();
		// The second chunk's write fails; the first is stored.
		let writes = 0;
		faults.filter((request) => request.scope === scope && request.operation === "SetAsync" && ++writes === 2);
		faults.setFailureRate(1);
		const report = manager.runPreflight();
		faults.clear();
		const roundTrip = report.checks.find((check) => check.name === "backup round trip")!;
		expect(roundTrip.passed).toBe(false);
		const keys = (backupStore(server, scope).ListKeysAsync(undefined, undefined, undefined, true).GetCurrentPage() as DataStoreKey[]).map((key) => key.KeyName);
		expect(keys).toEqual([]);
	});
});
