import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("TestService", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("reports messages, checks, warnings and errors in the output and counts them", () => {
		const server = world.startServer({ empty: true });
		const testService = server.game.GetService("TestService");
		const source = server.create("Script", server.game.GetService("ServerScriptService"));
		source.Name = "Suite";
		testService.Message("starting", source, 3);
		testService.Checkpoint("half way");
		testService.Check(true, "one is one");
		testService.Check(false, "two is three", source, 7);
		testService.Warn(false, "slow path");
		testService.Warn(true, "fast path");
		testService.Error("broken");
		testService.Done();
		expect(server.output()).toEqual([
			"print: TestService: starting (ServerScriptService.Suite:3)",
			"print: TestService: Checkpoint: half way",
			"print: TestService: Check passed: one is one",
			"error: TestService: Check failed: two is three (ServerScriptService.Suite:7)",
			"warn: TestService: Warning: slow path",
			"print: TestService: Warning passed: fast path",
			"error: TestService: broken",
			"print: TestService: Done",
		]);
		expect(testService.TestCount).toBe(4);
		expect(testService.WarnCount).toBe(1);
		expect(testService.ErrorCount).toBe(2);
	});

	it("stops the caller when Require fails", () => {
		const server = world.startServer({ empty: true });
		const testService = server.game.GetService("TestService");
		testService.Require(true, "setup ready");
		const [ok, problem] = pcall(() => testService.Require(false, "database reachable"));
		expect(ok).toBe(false);
		expect(tostring(problem)).toContain("Require failed: database reachable");
		expect(testService.ErrorCount).toBe(1);
	});
});
