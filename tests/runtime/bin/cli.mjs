// Project commands: build (the Studio place), test (lint + the Jest suite, headless), bench
// (the `*.bench` modules, headless) and start (a headless play session). Each builds
// incrementally first.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaries, luneCommand, root, setup } from "./toolchain.mjs";

const buildDir = join(root, "build");
const paths = {
	place: join(buildDir, "ForeverBuild.rbxl"),
	testsModel: join(buildDir, "tests.rbxm"),
	compileProject: join(buildDir, "compile.project.json"),
	testsProject: join(buildDir, "tests.project.json"),
	engineMain: join(root, "tests/runtime/engine/main.luau"),
	specCosts: join(root, "tests/runtime/spec-costs.json"),
};

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
	if (result.error) throw result.error;
	return result.status ?? 1;
}

function runOrExit(label, command, args) {
	const status = run(command, args);
	if (status !== 0) {
		console.error(`${label} failed (exit ${status})`);
		process.exit(status);
	}
}

// npm packages only the tests use: the Studio place leaves them out (they were most of what
// every client downloaded); the tests model brings them, and the engine adds them to the place's
// ReplicatedStorage.rbxts_include.node_modules.@rbxts. The vendors keep the names @rbxts/jest
// looks them up by. React-Lua (ReactLua, the vendor of @rbxts/react) is in the place: the game's
// UI runs on it, and Jest-Lua uses the same copy.
const TEST_PACKAGES = {
	jest: "jest",
	"jest-globals": "jest-globals",
	"jest-matcher-utils": "jest-matcher-utils",
	"pretty-format": "pretty-format",
	JestLua: "jest-vendor",
};

// Specs that run on the server (and may import server code) sit under ServerScriptService;
// what clients need (client specs, bots, the Jest setup file) under ReplicatedStorage.
const CLIENT_VISIBLE_TEST_FOLDERS = new Set(["client", "bots", "setup"]);
const NOT_COMPILED_TEST_FOLDERS = new Set(["runtime"]);

function testsTree(prefix) {
	const server = { $className: "Folder" };
	const shared = { $className: "Folder" };
	for (const entry of readdirSync(join(root, "tests"), { withFileTypes: true })) {
		if (!entry.isDirectory() || NOT_COMPILED_TEST_FOLDERS.has(entry.name)) continue;
		const target = CLIENT_VISIBLE_TEST_FOLDERS.has(entry.name) ? shared : server;
		target[entry.name] = { $path: `${prefix}out/tests/${entry.name}` };
	}
	server["jest.config"] = { $path: `${prefix}out/tests/jest.config.lua` };
	return { server, shared };
}

// rbxtsc needs one Rojo project that covers every output file, tests included; the place
// players get (default.project.json) must not contain the tests, so the compile project is
// derived from it here and never built.
function writeDerivedProjects() {
	mkdirSync(buildDir, { recursive: true });
	const project = JSON.parse(readFileSync(join(root, "default.project.json"), "utf8"));
	const rebase = (node) => {
		for (const [key, value] of Object.entries(node)) {
			if (key === "$path") node[key] = `../${value}`;
			else if (value && typeof value === "object" && !key.startsWith("$")) rebase(value);
		}
	};
	rebase(project.tree);
	const { server, shared } = testsTree("../");
	project.tree.ServerScriptService.Tests = server;
	project.tree.ReplicatedStorage.Tests = shared;
	// rbxtsc resolves every package the code imports, test-only ones included.
	project.tree.ReplicatedStorage.rbxts_include.node_modules["@rbxts"] = { $path: "../node_modules/@rbxts" };
	writeIfChanged(paths.compileProject, JSON.stringify(project, null, "\t"));
	const packages = { $className: "Folder" };
	for (const [name, dir] of Object.entries(TEST_PACKAGES)) packages[name] = { $path: `../node_modules/@rbxts/${dir}` };
	const model = { $className: "Folder", Server: server, Shared: shared, Packages: packages };
	writeIfChanged(paths.testsProject, JSON.stringify({ name: "Tests", tree: model }, null, "\t"));
}

function writeIfChanged(file, text) {
	let current = null;
	try {
		current = readFileSync(file, "utf8");
	} catch {}
	if (current !== text) writeFileSync(file, text);
}

function compile() {
	writeDerivedProjects();
	runOrExit("compile", process.execPath, [binaries.rbxtsc, "build", "--rojo", paths.compileProject]);
}

function buildPlace() {
	runOrExit("rojo build", binaries.rojo, ["build", "default.project.json", "--output", paths.place]);
}

/** Everything a run against the tests needs: toolchain, compiled game, the place and the tests model. */
function prepareTests() {
	setup();
	compile();
	buildPlace();
	buildTests();
}

function buildTests() {
	runOrExit("rojo build (tests)", binaries.rojo, ["build", paths.testsProject, "--output", paths.testsModel]);
}

const lintArgs = () => [binaries.eslint, "--cache", "--cache-location", join(buildDir, ".eslintcache"), "src", "tests"];

// Lint runs on the second core while the engine runs the suite; its verdict is awaited after.
function lintInBackground() {
	const child = spawn(process.execPath, lintArgs(), { cwd: root, stdio: "inherit" });
	return new Promise((resolve) => {
		child.on("error", () => resolve(1));
		child.on("exit", (code) => resolve(code ?? 1));
	});
}

function lune(args) {
	const [command, commandArgs] = luneCommand(["run", paths.engineMain, "--", ...args]);
	return run(command, commandArgs);
}

// The whole suite runs as two shards on the two cores, each a Lune process with its share of the
// spec files (dealt by their measured seconds in spec-costs.json, which `spec-costs` refreshes);
// the first shard's output shows as it runs, the second's after it, then the sum.
const SHARDS = 2;

function luneShard(index, live) {
	const [command, commandArgs] = luneCommand(["run", paths.engineMain, "--", "test", paths.place, paths.testsModel, "--shard", `${index}/${SHARDS}`, "--costs", paths.specCosts]);
	const child = spawn(command, commandArgs, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
	const output = { stdout: "", stderr: "" };
	for (const stream of ["stdout", "stderr"]) {
		child[stream].on("data", (chunk) => {
			output[stream] += chunk;
			if (live) process[stream].write(chunk);
		});
	}
	return new Promise((resolve) => {
		child.on("error", (error) => resolve({ code: 1, ...output, stderr: `${output.stderr}${error}\n` }));
		child.on("close", (code) => resolve({ code: code ?? 1, ...output }));
	});
}

/** Runs every shard; returns the exit code and prints "N passed, N failed" for them all. */
async function shardedSuite() {
	const shards = await Promise.all(Array.from({ length: SHARDS }, (_, index) => luneShard(index + 1, index === 0)));
	const totals = { passed: 0, failed: 0, skipped: 0 };
	let code = 0;
	for (const [index, shard] of shards.entries()) {
		if (index > 0) {
			process.stdout.write(shard.stdout);
			process.stderr.write(shard.stderr);
		}
		const counts = /shard \d+\/\d+: (\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(shard.stdout);
		if (counts === null) code = 1;
		else {
			totals.passed += Number(counts[1]);
			totals.failed += Number(counts[2]);
			totals.skipped += Number(counts[3] ?? 0);
		}
		if (shard.code !== 0) code = shard.code;
	}
	console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ""}`);
	return code;
}

const [commandName = "build", ...rest] = process.argv.slice(2).filter((arg) => arg !== "--");

switch (commandName) {
	case "setup":
		setup();
		break;
	case "build":
		setup();
		compile();
		buildPlace();
		console.log(`Studio place written to ${paths.place}`);
		process.exit(lune(["place-size", paths.place, ...Object.keys(TEST_PACKAGES)]));
		break;
	case "test": {
		prepareTests();
		const linted = lintInBackground();
		const placeCheck = lune(["place-size", paths.place, ...Object.keys(TEST_PACKAGES)]);
		const selfCheck = placeCheck === 0 ? lune(["self-check", paths.place, paths.testsModel]) : placeCheck;
		// A pattern picks a few files: one process; the whole suite is sharded over the two cores.
		const tested = selfCheck !== 0 ? selfCheck : rest.length > 0 ? lune(["test", paths.place, paths.testsModel, ...rest]) : await shardedSuite();
		const lintStatus = await linted;
		if (lintStatus !== 0) console.error(`lint failed (exit ${lintStatus})`);
		process.exit(tested !== 0 ? tested : lintStatus);
		break;
	}
	case "spec-costs":
		// Every spec file on its own, timed, one process: the seconds the shards are dealt by.
		prepareTests();
		process.exit(lune(["test", paths.place, paths.testsModel, "--measure-costs", paths.specCosts]));
		break;
	case "bench": {
		prepareTests();
		process.exit(lune(["bench", paths.place, paths.testsModel, ...rest]));
		break;
	}
	case "start": {
		prepareTests();
		// The session keeps its DataStore in a file, so a restart finds every player's data.
		const dataStoreArgs = rest.includes("--datastore-file") ? [] : ["--datastore-file", join(buildDir, "play-session-datastore.json")];
		// Bots are client peers running the code in tests/bots, shipped in the tests model.
		process.exit(lune(["play", paths.place, "--bots", paths.testsModel, ...dataStoreArgs, ...rest]));
		break;
	}
	case "engine":
		// Runs the engine directly with the given arguments (used by the benchmark and tools).
		setup();
		process.exit(lune(rest));
		break;
	default:
		console.error(`unknown command ${commandName}; use build, test, bench, start or spec-costs`);
		process.exit(2);
}
