import { World } from "../harness/world";

const CALLS = 2000;
const CLIENTS = 20;
/** Issue 9's targets for the emulator's own cost, in seconds per call. */
const TARGETS = { cloneParent: 15e-6, setAttribute: 1e-6, fireAllClientsPerClient: 5e-6 };

function microseconds(seconds: number): string {
	return string.format("%.2f µs", seconds * 1e6);
}

function verdict(seconds: number, target: number): string {
	return `${microseconds(seconds)} (target ≤ ${microseconds(target)}: ${seconds <= target ? "met" : "MISSED"})`;
}

/** Real seconds per call of `fn`, best of three rounds of `calls` calls. */
function perCall(calls: number, fn: (index: number) => void): number {
	let best = math.huge;
	for (let round = 0; round < 3; round++) {
		const startedAt = Headless.realClock();
		for (let index = 0; index < calls; index++) fn(index);
		best = math.min(best, (Headless.realClock() - startedAt) / calls);
	}
	return best;
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
	for (let index = 0; index < CLIENTS; index++) world.join(server, { userId: 9000 + index, runScripts: false });
	Headless.frames(2);

	// A naive baseline in the same run: a Luau table copy of the same shape as the model.
	const shape = { name: "table", children: [{ name: "Top" }, { name: "Leg1" }, { name: "Leg2" }] };
	const copyBaseline = perCall(CALLS, () => {
		const copy = { name: shape.name, children: shape.children.map((child) => ({ name: child.name })) };
		copy.name = "x";
	});

	const cloneOnly = perCall(CALLS, () => template.Clone());
	const parked: Model[] = [];
	for (let index = 0; index < CALLS * 3; index++) parked.push(template.Clone());
	let cursor = 0;
	const parentOnly = perCall(CALLS, () => {
		parked[cursor++].Parent = target;
	});
	const clones: Model[] = [];
	const cloneParent = perCall(CALLS, () => {
		const model = template.Clone();
		model.Parent = target;
		clones.push(model);
	});
	for (const model of clones) model.Destroy();
	Headless.frames(2);

	const attributes = new Instance("Folder");
	const setAttribute = perCall(CALLS, (index) => attributes.SetAttribute("Value", index));
	const attributeBaseline = perCall(CALLS, (index) => {
		(shape as unknown as Record<string, number>).Value = index;
	});

	const remote = server.create("RemoteEvent", server.game.GetService("ReplicatedStorage"));
	Headless.frames(2);
	const fire = perCall(CALLS / 10, (index) => remote.FireAllClients({ id: `p${index}`, x: index, y: 0, z: 1 }));
	Headless.frames(2);

	print(`Clone ${microseconds(cloneOnly)} + Parent= ${microseconds(parentOnly)} measured apart`);
	print(`Clone + Parent of a catalog model (${template.GetDescendants().size() + 1} instances): ${verdict(cloneParent, TARGETS.cloneParent)}; a Luau table copy of the same shape ${microseconds(copyBaseline)}`);
	print(`SetAttribute: ${verdict(setAttribute, TARGETS.setAttribute)}; a plain table write ${microseconds(attributeBaseline)}`);
	print(`FireAllClients with one small table, per client (${CLIENTS} clients): ${verdict(fire / CLIENTS, TARGETS.fireAllClientsPerClient)}`);
	world.stop();
	Headless.measureEngineTime(true);
}
