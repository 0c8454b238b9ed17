import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

describe("scripts and modules in a peer", () => {
	const world = new World();
	let server: HeadlessServer;
	let storage: ReplicatedStorage;

	beforeAll(() => {
		server = world.startServer({ empty: true });
		storage = server.game.GetService("ReplicatedStorage");
	});
	afterAll(() => world.stop());

	function moduleWith(name: string, source: string): ModuleScript {
		const module = server.create("ModuleScript", storage);
		module.Name = name;
		(module as unknown as { Source: string }).Source = source;
		return module;
	}

	it("runs a module once and caches its result per peer", () => {
		const module = moduleWith("Counter", "_G.loads = (_G.loads or 0) + 1 return { id = _G.loads }");
		const first = server.require(module);
		const second = server.require(module);
		expect(first).toBe(second);
		expect((first as { id: number }).id).toBe(1);
	});

	it("gives each peer its own module cache and _G", () => {
		const module = moduleWith("Shared", "return {}");
		const other = world.startServer({ empty: true });
		const otherModule = other.create("ModuleScript", other.game.GetService("ReplicatedStorage"));
		(otherModule as unknown as { Source: string }).Source = "return _G.loads";
		expect(server.require(module)).never.toBe(other.require(otherModule));
		expect(other.require(otherModule)).toBeUndefined();
	});

	it("detects require cycles", () => {
		const a = moduleWith("CycleA", "return require(script.Parent.CycleB)");
		moduleWith("CycleB", "return require(script.Parent.CycleA)");
		expect(() => server.require(a)).toThrow("Requested module experienced an error while loading");
	});

	it("refuses a module that does not return exactly one value", () => {
		const module = moduleWith("NoValue", "local x = 1");
		expect(() => server.require(module)).toThrow("Requested module experienced an error while loading");
	});

	it("reports errors with the module's full name and line", () => {
		const module = moduleWith("Thrower", "local ok, message = pcall(function()\n\terror('bad thing')\nend)\nreturn message");
		expect(server.require(module)).toBe("ReplicatedStorage.Thrower:2: bad thing");
		const cycle = moduleWith("SelfCycle", "local ok, message = pcall(require, script)\nreturn message");
		expect(server.require(cycle)).toBe("Requested module was required recursively");
	});

	it("gives each script its own `script` and environment, reachable with getfenv/setfenv", () => {
		const module = moduleWith(
			"Env",
			"local env = getfenv(1)\nreturn { name = script.Name, sameEnv = env == getfenv(2 - 1), hasGame = env.game ~= nil }",
		);
		expect(server.require(module)).toEqual({ name: "Env", sameEnv: true, hasGame: true });
	});

	describe("roblox-ts modules (their globals become locals, Luau's libraries keep their fast calls)", () => {
		const HEADER = "-- Compiled with roblox-ts v3.0.0\n";

		it("read the engine's globals and their own `script`, and report errors at their own lines", () => {
			const module = moduleWith(
				"CompiledEnv",
				`--!strict\n${HEADER}local ok, message = pcall(function()\n\terror('bad thing')\nend)\nreturn { name = script.Name, game = game == workspace.Parent, floor = math.floor(2.5), vector = typeof(Vector3.new()), message = message }`,
			);
			expect(server.require(module)).toEqual({ name: "CompiledEnv", game: true, floor: 2, vector: "Vector3", message: "ReplicatedStorage.CompiledEnv:4: bad thing" });
		});

		it("run with the environment setfenv gave them, as Jest's runtime relies on", () => {
			moduleWith("CompiledTarget", `${HEADER}return { name = script.Name, marker = marker }`);
			const loader = moduleWith(
				"CompiledLoader",
				"local load = debug.loadmodule(script.Parent.CompiledTarget)\n" +
					"local base = getfenv(load)\n" +
					"setfenv(load, setmetatable({ script = script, marker = 42 }, { __index = base }))\n" +
					"local result = load()\n" +
					"return { result.name, result.marker, getfenv(load).marker, base.script.Name }",
			);
			expect(server.require(loader)).toEqual(["CompiledLoader", 42, 42, "CompiledTarget"]);
		});

		it("answer getfenv for a function defined inside them, after their main chunk has returned", () => {
			const module = moduleWith("CompiledNested", `${HEADER}local marker = {}\nreturn { env = function() return getfenv(1) end, top = getfenv(1) }`);
			const result = server.require(module) as { env: () => { script: Instance }; top: object };
			for (let index = 0; index < 3; index++) Headless.settledHeap();
			expect(result.env()).toBe(result.top);
			expect(result.env().script).toBe(module);
		});

		it("see a global added to the environment they were loaded with", () => {
			moduleWith("CompiledAdded", `${HEADER}return { marker = marker }`);
			const loader = moduleWith(
				"CompiledAddedLoader",
				"local load = debug.loadmodule(script.Parent.CompiledAdded)\ngetfenv(load).marker = 42\nreturn load().marker",
			);
			expect(server.require(loader)).toBe(42);
		});

		it("refuse getfenv(0) loudly (the thread's environment is not emulated)", () => {
			const module = moduleWith("CompiledThreadEnv", `${HEADER}local ok, message = pcall(getfenv, 0)\nreturn { ok, message }`);
			const [ok, message] = server.require(module) as [boolean, string];
			expect(ok).toBe(false);
			expect(message).toContain("not emulated");
		});

		it("behave the same when marked --!native (compiled to native code on the server)", () => {
			const module = moduleWith(
				"CompiledNative",
				`--!native\n${HEADER}local function sum(n)\n\tlocal total = 0\n\tfor i = 1, n do total += i end\n\treturn total\nend\nreturn { sum(100), script.Name }`,
			);
			expect(server.require(module)).toEqual([5050, "CompiledNative"]);
		});
	});

	it("lets setfenv change a function inside a script that is not roblox-ts output, and refuses loadstring", () => {
		const module = moduleWith(
			"PlainNested",
			"local function read() return marker end\nsetfenv(read, setmetatable({ marker = 'inner' }, { __index = getfenv(1) }))\nlocal ok, message = pcall(loadstring, 'return 1')\nreturn { read(), ok, message }",
		);
		const [value, ok, message] = server.require(module) as [string, boolean, string];
		expect(value).toBe("inner");
		expect(ok).toBe(false);
		expect(message).toContain("not emulated: loadstring");
	});

	it("keeps a global a script assigns to that script", () => {
		moduleWith("AssignsGlobal", "leaked = 'mine'\nreturn leaked");
		const reader = moduleWith("ReadsGlobal", `local value = require(script.Parent.AssignsGlobal)\nreturn { value, leaked }`);
		const compiledReader = moduleWith("CompiledReadsGlobal", "-- Compiled with roblox-ts v3.0.0\nreturn { leaked }");
		expect(server.require(reader)).toEqual(["mine"]);
		expect(server.require(compiledReader)).toEqual([]);
	});

	it("loads a fresh copy with debug.loadmodule", () => {
		moduleWith("Fresh", "return {}");
		const loader = moduleWith(
			"Loader",
			"local target = script.Parent.Fresh\nlocal load = debug.loadmodule(target)\nreturn { load() ~= load(), require(target) == require(target) }",
		);
		expect(server.require(loader)).toEqual([true, true]);
	});

	it("names engine types with typeof", () => {
		const module = moduleWith(
			"Types",
			"local event = Instance.new('BindableEvent')\nlocal connection = event.Event:Connect(function() end)\nreturn { typeof(event), typeof(event.Event), typeof(connection), typeof(Vector3.new()), typeof(DateTime.now()), typeof(Random.new(1)), typeof(Enum.Material.Plastic) }",
		);
		expect(server.require(module)).toEqual([
			"Instance",
			"RBXScriptSignal",
			"RBXScriptConnection",
			"Vector3",
			"DateTime",
			"Random",
			"EnumItem",
		]);
	});

	it("gives the same Random sequence for the same seed", () => {
		const a = new Random(42);
		const b = new Random(42);
		const first = [a.NextInteger(1, 100), a.NextInteger(1, 100), a.NextNumber()];
		expect([b.NextInteger(1, 100), b.NextInteger(1, 100), b.NextNumber()]).toEqual(first);
		expect(() => a.NextInteger(5, 1)).toThrow("interval is empty");
	});

	it("formats DateTime in UTC", () => {
		const date = DateTime.fromUnixTimestamp(1640995200);
		expect(date.ToIsoDate()).toBe("2022-01-01T00:00:00Z");
		expect(date.ToUniversalTime().Year).toBe(2022);
		expect(DateTime.fromIsoDate("2024-02-29T12:00:00Z")?.UnixTimestamp).toBe(1709208000);
	});

	it("applies HttpService JSON rules", () => {
		const http = server.game.GetService("HttpService");
		expect(http.JSONDecode(http.JSONEncode({ list: [1, 2, 3], name: "a\"b" }))).toEqual({ list: [1, 2, 3], name: 'a"b' });
		expect(() => http.JSONEncode({ fn: () => 1 })).toThrow("Can't convert to JSON");
		expect(() => http.JSONDecode("{bad")).toThrow("Can't parse JSON");
		const guid = http.GenerateGUID(false);
		expect(guid.match("^%x+%-%x+%-4%x+%-%x+%-%x+$")[0]).toBe(guid);
	});
});
