import { describe, expect, it } from "@rbxts/jest-globals";
import { RunService } from "@rbxts/services";

describe("signals", () => {
	it("defers handlers to the next resumption point", () => {
		const event = new Instance("BindableEvent");
		const calls: string[] = [];
		event.Event.Connect((value: string) => calls.push(value));
		event.Fire("a");
		calls.push("after fire");
		task.wait();
		expect(calls).toEqual(["after fire", "a"]);
	});

	it("runs handlers in connection order and keeps going after one errors", () => {
		const event = new Instance("BindableEvent");
		const calls: number[] = [];
		event.Event.Connect(() => calls.push(1));
		event.Event.Connect(() => {
			error("handler failure");
		});
		event.Event.Connect(() => calls.push(3));
		const errors = Headless.captureErrors(() => {
			event.Fire();
			task.wait();
		});
		expect(calls).toEqual([1, 3]);
		expect(errors.size()).toBe(1);
		expect(errors[0]).toMatch("handler failure");
	});

	it("does not call a handler disconnected before its deferred turn", () => {
		const event = new Instance("BindableEvent");
		let called = false;
		const connection = event.Event.Connect(() => (called = true));
		event.Fire();
		connection.Disconnect();
		expect(connection.Connected).toBe(false);
		task.wait();
		expect(called).toBe(false);
	});

	it("fires Once handlers a single time", () => {
		const event = new Instance("BindableEvent");
		let count = 0;
		event.Event.Once(() => count++);
		event.Fire();
		event.Fire();
		task.wait();
		expect(count).toBe(1);
	});

	it("resumes Wait with the fired arguments", () => {
		const event = new Instance("BindableEvent");
		task.delay(0.5, () => event.Fire("payload", 7));
		const [payload, count] = event.Event.Wait();
		expect(payload).toBe("payload");
		expect(count).toBe(7);
	});

	it("fires RunService steps every frame at 60 Hz in engine order", () => {
		const order: string[] = [];
		const deltas: number[] = [];
		const connections = [
			RunService.PreSimulation.Connect(() => order.push("PreSimulation")),
			RunService.Stepped.Connect(() => order.push("Stepped")),
			RunService.PostSimulation.Connect(() => order.push("PostSimulation")),
			RunService.Heartbeat.Connect((deltaTime) => {
				order.push("Heartbeat");
				deltas.push(deltaTime);
			}),
		];
		Headless.frames(2);
		for (const connection of connections) connection.Disconnect();
		const first = order.indexOf("PreSimulation");
		expect(order.move(first, first + 3, 0, [])).toEqual(["PreSimulation", "Stepped", "PostSimulation", "Heartbeat"]);
		expect(deltas[0]).toBeCloseTo(1 / 60, 6);
	});

	it("refuses to connect something that is not a function", () => {
		const event = new Instance("BindableEvent");
		expect(() => event.Event.Connect(5 as never)).toThrow("Attempt to connect failed");
	});
	it("are not Instances: a signal, a connection or RaycastParams can be neither a Parent nor a filter entry", () => {
		const part = new Instance("Part");
		const signal = new Instance("BindableEvent").Event;
		const connection = signal.Connect(() => undefined);
		const params = new RaycastParams();
		const values: unknown[] = [signal, connection, params];
		for (const value of values) {
			expect(typeOf(value)).never.toBe("Instance");
			expect(() => (part.Parent = value as never)).toThrow();
			expect(() => (params.FilterDescendantsInstances = [value as never])).toThrow("FilterDescendantsInstances expects an array of Instances");
			expect(getmetatable(value as never)).toBe("The metatable is locked");
		}
		expect(tostring(signal)).toBe("Signal Event");
		connection.Disconnect();
		expect(connection.Connected).toBe(false);
	});
});
