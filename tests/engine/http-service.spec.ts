import { afterAll, describe, expect, it } from "@rbxts/jest-globals";
import { World } from "../harness/world";

function errorOf(fn: () => unknown): string | undefined {
	const [ok, problem] = pcall(fn);
	return ok ? undefined : tostring(problem);
}

describe("HttpService JSON", () => {
	const http = game.GetService("HttpService");

	it("encodes arrays, dictionaries, empty tables and numbers as Roblox does", () => {
		expect(http.JSONEncode([1, 2, 3])).toBe("[1,2,3]");
		expect(http.JSONEncode({})).toBe("[]");
		expect(http.JSONEncode({ a: 1 })).toBe('{"a":1}');
		expect(http.JSONEncode([0.1, 1e20, 2 ** 53, -5])).toBe("[0.1,1e+20,9007199254740992,-5]");
		expect(http.JSONEncode('quote " and \n')).toBe('"quote \\" and \\n"');
	});

	it("keeps only the array part of a mixed table and stops arrays at the first nil", () => {
		const mixed = { 1: "a", 2: "b", name: "dropped" } as unknown;
		expect(http.JSONEncode(mixed)).toBe('["a","b"]');
		expect(http.JSONEncode(["a", undefined, "c"])).toBe('["a"]');
	});

	it("refuses functions, cycles and other values it cannot convert", () => {
		expect(errorOf(() => http.JSONEncode({ fn: () => 1 }))).toContain("Can't convert to JSON");
		const cyclic: Record<string, unknown> = {};
		cyclic.self = cyclic;
		expect(errorOf(() => http.JSONEncode(cyclic))).toContain("Can't convert to JSON");
		expect(errorOf(() => http.JSONEncode(new Instance("Folder")))).toContain("Can't convert to JSON");
	});

	it("decodes natively, falling back to Roblox's own parser for what serde refuses", () => {
		expect(http.JSONDecode('{"list":[1,2,null,4],"nested":{"ok":true}}')).toEqual({
			list: [1, 2, undefined, 4],
			nested: { ok: true },
		});
		expect(http.JSONDecode("[]")).toEqual([]);
		expect(http.JSONDecode("12.5")).toBe(12.5);
		const decodedBuffer = http.JSONDecode('{"m":null,"t":"buffer","base64":"aGk="}');
		expect(typeOf(decodedBuffer)).toBe("buffer");
		expect(buffer.tostring(decodedBuffer as buffer)).toBe("hi");
		expect(errorOf(() => http.JSONDecode("{bad"))).toContain("Can't parse JSON");
		expect(errorOf(() => http.JSONDecode("[1,]"))).toContain("Can't parse JSON");
	});

	it("round-trips a profile-sized value exactly", () => {
		const placements = [];
		for (let index = 1; index <= 500; index++) {
			placements.push({ id: `p${index}`, itemId: "wall_wood", x: index * 4, y: 0.5, z: -index, r: 90 });
		}
		const value = { version: 2, placements, coins: 100 };
		expect(http.JSONDecode(http.JSONEncode(value))).toEqual(value);
	});
});

describe("HttpService:GenerateGUID", () => {
	it("makes distinct version-4 GUIDs, braced unless told not to", () => {
		const http = game.GetService("HttpService");
		const seen = new Set<string>();
		for (let index = 0; index < 200; index++) {
			const guid = http.GenerateGUID(false);
			expect(guid).toMatch("^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89AB]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$");
			seen.add(guid);
		}
		expect(seen.size()).toBe(200);
		expect(http.GenerateGUID()).toMatch("^{.+}$");
	});
});

describe("HttpService outbound requests", () => {
	const world = new World();
	afterAll(() => world.stop());

	it("are refused while HttpEnabled is off (the place's setting) and still recorded", () => {
		const server = world.startServer({ empty: true });
		const http = server.game.GetService("HttpService");
		expect(http.HttpEnabled).toBe(false);
		const message = "Http requests are not enabled. Enable via game settings";
		expect(errorOf(() => http.RequestAsync({ Url: "https://hooks.example/alert", Method: "POST", Body: "{}" }))).toContain(
			message,
		);
		expect(errorOf(() => http.GetAsync("https://hooks.example/status"))).toContain(message);
		const requests = server.httpRequests();
		expect(requests.size()).toBe(2);
		expect(requests[0].url).toBe("https://hooks.example/alert");
		expect(requests[0].method).toBe("POST");
		expect(requests[0].body).toBe("{}");
		expect(requests[0].refused).toBe(true);
	});

	it("are answered by the spec's responder when HttpEnabled is on, after yielding", () => {
		const server = world.startServer({ empty: true });
		server.setHttpEnabled(true);
		server.setHttpResponder((request) => {
			if (request.Url.find("missing")[0] !== undefined) return { StatusCode: 404 };
			return { StatusCode: 200, Body: `got ${request.Method} ${request.Body ?? ""}`, Headers: { "x-echo": "1" } };
		});
		const http = server.game.GetService("HttpService");
		const frameBefore = Headless.frame();
		const response = http.RequestAsync({
			Url: "https://hooks.example/alert",
			Method: "POST",
			Body: '{"text":"hi"}',
			Headers: { "Content-Type": "application/json" },
		});
		expect(Headless.frame()).toBeGreaterThan(frameBefore);
		expect(response).toEqual({
			Success: true,
			StatusCode: 200,
			StatusMessage: "OK",
			Headers: { "x-echo": "1" },
			Body: 'got POST {"text":"hi"}',
		});
		const missing = http.RequestAsync({ Url: "https://hooks.example/missing" });
		expect(missing.Success).toBe(false);
		expect(missing.StatusCode).toBe(404);
		expect(missing.StatusMessage).toBe("Not Found");
		expect(errorOf(() => http.GetAsync("https://hooks.example/missing"))).toContain("HTTP 404 (Not Found)");
		const recorded = server.httpRequests();
		expect(recorded[0].headers["Content-Type"]).toBe("application/json");
		expect(recorded[0].refused).toBe(false);
	});

	it("checks the request before sending it", () => {
		const server = world.startServer({ empty: true });
		server.setHttpEnabled(true);
		const http = server.game.GetService("HttpService");
		expect(errorOf(() => http.RequestAsync({} as never))).toContain("Url");
		expect(errorOf(() => http.RequestAsync({ Url: "ftp://x" }))).toContain("http");
		expect(errorOf(() => http.RequestAsync({ Url: "https://x.example", Method: "BREW" as never }))).toContain("BREW");
		expect(errorOf(() => http.RequestAsync({ Url: "https://x.example", Body: "x" }))).toContain("GET");
		expect(
			errorOf(() => http.RequestAsync({ Url: "https://x.example", Method: "POST", Headers: { "Roblox-Id": "1" } })),
		).toContain("not allowed");
		expect(server.httpRequests().size()).toBe(0);
	});
});
