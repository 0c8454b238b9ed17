import { World } from "../harness/world";

const CALLS = 1000;
/** Calls per timed round: short rounds, so a round the scheduler interrupts (the machine is shared) is one of many. */
const ROUND = 100;
const CLIENTS = 20;
/** Issue 9's targets for the emulator's own cost, in seconds per call. */
const TARGETS = { cloneParent: 15e-6, setAttribute: 1e-6, fireAllClientsPerClient: 5e-6 };

function microseconds(seconds: number): string {
	return string.format("%.2f µs", seconds * 1e6);
}

function verdict(seconds: number, target: number): string {
	return `${microseconds(seconds)} (target ≤ ${microseconds(target)}: ${seconds <= target ? "met" : "MISSED"})`;
}

/** Real seconds per call of `fn` over `calls` calls timed in rounds of `ROUND`: the best round, and the median round. */
function perCallRounds(calls: number, fn: (index: number) => void): { best: number; median: number } {
	const rounds: number[] = [];
	let index = 0;
	while (index < calls) {
		const size = math.min(ROUND, calls - index);
		const startedAt = Headless.realClock();
		for (const last = index + size; index < last; index++) fn(index);
		rounds.push((Headless.realClock() - startedAt) / size);
	}
	rounds.sort();
	return { best: rounds[0], median: rounds[math.floor(rounds.size() / 2)] };
}

/** Real seconds per call of `fn` over three times `calls` calls: the best round of `ROUND` calls. */
function perCall(calls: number, fn: (index: number) => void): number {
	return perCallRounds(3 * calls, fn).best;
}

/** The emulated engine's own cost (all of it engine time: the game's share is the loop around the call) for the calls the placement path makes most, against issue 9's targets. */
export function run() {
	// The targets are the engine's own cost: measured without the engine clock's instrumentation.
	Headless.measureEngineTime(false);
	const world = new World();
	const server = world.startServer({ runScripts: false });
	const catalog = server.find("ReplicatedStorage.TS.catalog.models") as Folder;
	const template = catalog.FindFirstChild("table") as Model;
	const target = server.create("Folder", server.game.GetService("Workspace"));
	world.join(server, { userId: 9000, runScripts: false });
	Headless.frames(2);

	// A naive baseline in the same run: a Luau table copy of the same shape as the model.
	const shape = { name: "table", children: [{ name: "Top" }, { name: "Leg1" }, { name: "Leg2" }] };
	const copyBaseline = perCall(CALLS, () => {
		const copy = { name: shape.name, children: shape.children.map((child) => ({ name: child.name })) };
		copy.name = "x";
	});

	// Steady state, as placements come and go: each model is destroyed a few calls later.
	const live: Model[] = [];
	const cloneParentRounds = perCallRounds(3 * CALLS, () => {
		const model = template.Clone();
		model.Parent = target;
		live.push(model);
		if (live.size() > 8) live.shift()!.Destroy();
	});
	const cloneParent = cloneParentRounds.best;
	const cloneOnly = perCall(CALLS, () => template.Clone());
	for (const model of live) model.Destroy();
	Headless.frames(2);

	const attributes = new Instance("Folder");
	const setAttribute = perCall(CALLS, (index) => attributes.SetAttribute("Value", index));
	const attributeBaseline = perCall(CALLS, (index) => {
		(shape as unknown as Record<string, number>).Value = index;
	});

	const http = server.game.GetService("HttpService");
	const guid = perCall(CALLS, () => http.GenerateGUID(false));
	const miss = perCall(CALLS, (index) => target.FindFirstChild(`missing${index % 10}`));

	for (let index = 1; index < CLIENTS; index++) world.join(server, { userId: 9000 + index, runScripts: false });
	const remote = server.create("RemoteEvent", server.game.GetService("ReplicatedStorage"));
	Headless.frames(2);
	const fire = perCall(CALLS / 10, (index) => remote.FireAllClients({ id: `p${index}`, x: index, y: 0, z: 1 }));
	Headless.frames(2);

	print("engine-time measuring is off in this bench (its figures are the engine's own cost, unsplit: all engine but the loop around each call)");
	print(`Clone + Parent of a catalog model into Workspace with one client, of which Clone ${microseconds(cloneOnly)}`);
	print(`Clone + Parent of a catalog model (${template.GetDescendants().size() + 1} instances): ${verdict(cloneParent, TARGETS.cloneParent)} best round, median round ${microseconds(cloneParentRounds.median)} (${3 * CALLS} calls in rounds of ${ROUND}, the model destroyed 8 calls later); a Luau table copy of the same shape ${microseconds(copyBaseline)}`);
	print(`SetAttribute: ${verdict(setAttribute, TARGETS.setAttribute)}; a plain table write ${microseconds(attributeBaseline)}`);
	print(`FireAllClients with one small table, per client (${CLIENTS} clients): ${verdict(fire / CLIENTS, TARGETS.fireAllClientsPerClient)}`);
	print(`GenerateGUID ${microseconds(guid)} (was 50–90 µs); FindFirstChild that finds nothing ${microseconds(miss)} (was ≈45 µs)`);
	world.stop();
	Headless.measureEngineTime(true);
}
