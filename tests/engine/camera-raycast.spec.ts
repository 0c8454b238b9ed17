import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

function near(actual: Vector3, expected: Vector3, tolerance = 1e-4) {
	expect(actual.sub(expected).Magnitude).toBeLessThan(tolerance);
}

describe("camera rays and Workspace:Raycast", () => {
	const world = new World();
	let server: HeadlessServer;
	let client: HeadlessClient;
	let workspace: Workspace;
	let camera: Camera;

	beforeAll(() => {
		server = world.startServer({ empty: true });
		client = world.join(server, { userId: 22, name: "Eyes", runScripts: false });
		workspace = client.game.GetService("Workspace");
		camera = workspace.CurrentCamera!;
	});
	afterAll(() => world.stop());

	function box(name: string, size: Vector3, cframe: CFrame, parent: Instance = workspace): Part {
		const part = client.create("Part", parent);
		part.Name = name;
		part.Size = size;
		part.CFrame = cframe;
		return part;
	}

	it("has one client camera with a fixed 1280x720 viewport", () => {
		expect(workspace.CurrentCamera).toBe(camera);
		expect(camera.Parent).toBe(workspace);
		expect(camera.ViewportSize).toEqual(new Vector2(1280, 720));
		expect(camera.FieldOfView).toBe(70);
		// Instance references start nil (the reflection database lists no default for them).
		expect(camera.CameraSubject).toBeUndefined();
		expect(() => server.game.GetService("Workspace").CurrentCamera).toThrow("not emulated");
	});

	it("builds CFrame.lookAt facing its target (as documented)", () => {
		const from = new Vector3(1, 2, 3);
		for (const target of [new Vector3(1, 2, -10), new Vector3(4, -2, -2), new Vector3(1, -5, 10), new Vector3(-8, 2, 3)]) {
			const frame = CFrame.lookAt(from, target);
			near(frame.LookVector, target.sub(from).Unit);
			near(frame.Position, from);
			expect(frame.RightVector.Y).toBeCloseTo(0, 6);
			expect(frame.UpVector.Y).toBeGreaterThan(0);
		}
		near(new CFrame(from, new Vector3(4, -2, -2)).LookVector, new Vector3(3, -4, -5).Unit);
	});

	it("casts viewport points into the world and projects world points back", () => {
		camera.CFrame = CFrame.lookAt(new Vector3(0, 50, 0), new Vector3(0, 0, 1));
		const centre = camera.ViewportPointToRay(640, 360);
		near(centre.Origin, new Vector3(0, 50, 0));
		near(centre.Direction, camera.CFrame.LookVector);
		const deeper = camera.ViewportPointToRay(640, 360, 10);
		near(deeper.Origin, new Vector3(0, 50, 0).add(camera.CFrame.LookVector.mul(10)));

		// The top edge of the viewport is half the vertical field of view above the look vector.
		const top = camera.ViewportPointToRay(640, 0);
		const angle = math.deg(math.acos(top.Direction.Dot(camera.CFrame.LookVector)));
		expect(math.abs(angle - 35)).toBeLessThan(1e-3);

		const target = new Vector3(7, 1, 12);
		const [point, onScreen] = camera.WorldToViewportPoint(target);
		expect(onScreen).toBe(true);
		const ray = camera.ViewportPointToRay(point.X, point.Y);
		near(ray.Origin.add(ray.Direction.mul(point.Z / ray.Direction.Dot(camera.CFrame.LookVector))), target);
		const [, behind] = camera.WorldToViewportPoint(new Vector3(0, 60, 0));
		expect(behind).toBe(false);
		expect(() => camera.ScreenPointToRay(1, 1)).toThrow("not emulated");
	});

	it("hits the nearest box with its face normal and distance, skipping what the params filter", () => {
		const floor = box("Floor", new Vector3(20, 1, 20), new CFrame(0, -0.5, 0));
		const crate = box("Crate", new Vector3(2, 2, 2), new CFrame(3, 1, 3).mul(CFrame.Angles(0, math.rad(45), 0)));
		const down = new Vector3(0, -100, 0);

		const onFloor = workspace.Raycast(new Vector3(-5, 10, -5), down)!;
		expect(typeOf(onFloor)).toBe("RaycastResult");
		expect(onFloor.Instance).toBe(floor);
		near(onFloor.Position, new Vector3(-5, 0, -5));
		near(onFloor.Normal, new Vector3(0, 1, 0));
		expect(math.abs(onFloor.Distance - 10)).toBeLessThan(1e-6);
		expect(onFloor.Material.Name).toBe("Plastic");

		const onCrate = workspace.Raycast(new Vector3(3, 10, 3), down)!;
		expect(onCrate.Instance).toBe(crate);
		near(onCrate.Position, new Vector3(3, 2, 3));
		// Sideways into the rotated crate: the face normal turns with it.
		const side = workspace.Raycast(new Vector3(-3, 1, 3.3), new Vector3(10, 0, 0))!;
		expect(side.Instance).toBe(crate);
		expect(math.abs(side.Position.X - (3.3 - math.sqrt(2)))).toBeLessThan(1e-4);
		near(side.Normal, new Vector3(-1, 0, 1).Unit);

		const params = new RaycastParams();
		params.FilterType = Enum.RaycastFilterType.Exclude;
		params.FilterDescendantsInstances = [crate];
		expect(workspace.Raycast(new Vector3(3, 10, 3), down, params)!.Instance).toBe(floor);
		params.FilterType = Enum.RaycastFilterType.Include;
		expect(workspace.Raycast(new Vector3(-5, 10, -5), down, params)).toBeUndefined();

		crate.CanQuery = false;
		expect(workspace.Raycast(new Vector3(3, 10, 3), down)!.Instance).toBe(floor);
		crate.CanQuery = true;
		// Too short to reach, and starting inside: no hit.
		expect(workspace.Raycast(new Vector3(-5, 10, -5), new Vector3(0, -5, 0))).toBeUndefined();
		expect(workspace.Raycast(new Vector3(3, 1, 3), new Vector3(0, 0.5, 0))).toBeUndefined();
		floor.Destroy();
		crate.Destroy();
	});

	it("fails loudly on shapes and settings it does not emulate", () => {
		const ball = box("Ball", new Vector3(2, 2, 2), new CFrame(0, 1, 0));
		ball.Shape = Enum.PartType.Ball;
		expect(() => workspace.Raycast(new Vector3(0, 10, 0), new Vector3(0, -20, 0))).toThrow("not emulated");
		ball.Destroy();
		const params = new RaycastParams();
		params.CollisionGroup = "Ghosts";
		expect(() => workspace.Raycast(new Vector3(0, 10, 0), new Vector3(0, -20, 0), params)).toThrow("not emulated");
		expect(() => ((params as unknown as Record<string, unknown>).Nope = 1)).toThrow("not a valid member of RaycastParams");
		expect(() => (workspace as unknown as { Blockcast: unknown }).Blockcast).toThrow("not emulated");
	});
});
