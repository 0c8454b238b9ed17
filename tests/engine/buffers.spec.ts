import { afterAll, beforeAll, describe, expect, it } from "@rbxts/jest-globals";
import { errorOf, noise, uncached, useFreshStore } from "../harness/data-stores";
import { remotePair, World } from "../harness/world";

function bytesOf(data: buffer): string {
	return buffer.tostring(data);
}

describe("buffers through remotes", () => {
	const world = new World();
	let client: HeadlessClient;
	let serverRemote: RemoteEvent;
	let clientRemote: RemoteEvent;

	beforeAll(() => {
		({ client, serverRemote, clientRemote } = remotePair(world, "Bytes", 41));
	});
	afterAll(() => world.stop());

	it("arrive on the server as copies, unaffected by later writes of the sender", () => {
		const sent = buffer.fromstring("hello buffer");
		const received: defined[] = [];
		const connection = serverRemote.OnServerEvent.Connect((_, value, nested) => received.push(value!, nested!));
		clientRemote.FireServer(sent, { inner: sent });
		buffer.writeu8(sent, 0, string.byte("J")[0]);
		Headless.frames(2);
		connection.Disconnect();
		const [value, nested] = received as [buffer, { inner: buffer }];
		expect(typeOf(value)).toBe("buffer");
		expect(value).never.toBe(sent);
		expect(bytesOf(value)).toBe("hello buffer");
		expect(bytesOf(nested.inner)).toBe("hello buffer");
		expect(nested.inner).never.toBe(value);
	});

	it("arrive on the client as copies too", () => {
		const sent = buffer.fromstring("to the client");
		const received: buffer[] = [];
		const connection = clientRemote.OnClientEvent.Connect((value) => received.push(value as buffer));
		serverRemote.FireClient(client.player, sent);
		buffer.fill(sent, 0, 0);
		Headless.frames(2);
		connection.Disconnect();
		expect(received.size()).toBe(1);
		expect(bytesOf(received[0])).toBe("to the client");
	});

	it("count their length in the bytes on the link", () => {
		const before = client.traffic().bytesToServer;
		clientRemote.FireServer(buffer.create(10_000));
		Headless.frames(2);
		const counted = client.traffic().bytesToServer - before;
		expect(counted).toBeGreaterThanOrEqual(10_000);
		expect(counted).toBeLessThan(10_100);
	});
});

describe("buffers in DataStores and JSON", () => {
	const given = useFreshStore();
	const http = game.GetService("HttpService");

	it("round-trip through SetAsync and GetAsync as a fresh buffer with the same bytes", () => {
		const saved = noise(1_000);
		given.store.SetAsync("bytes", { blob: saved, label: "kept" });
		const [loaded] = given.store.GetAsync<{ blob: buffer; label: string }>("bytes", uncached(given.server));
		expect(loaded?.label).toBe("kept");
		expect(typeOf(loaded?.blob)).toBe("buffer");
		expect(loaded?.blob).never.toBe(saved);
		expect(bytesOf(loaded!.blob)).toBe(bytesOf(saved));
	});

	it("are stored as Roblox writes them: base64 when small, a zstd frame in zbase64 when that is shorter", () => {
		expect(http.JSONEncode(buffer.fromstring("hi"))).toBe('{"m":null,"t":"buffer","base64":"aGk="}');
		const zeros = http.JSONEncode(buffer.create(4_096));
		expect(zeros.sub(1, 34)).toBe('{"m":null,"t":"buffer","zbase64":"');
		// A Zstandard frame starts with the bytes 28 B5 2F FD, "KLUv/" in Base64.
		expect(zeros.sub(35, 39)).toBe("KLUv/");
		expect(zeros.size()).toBeLessThan(100);
		const decoded = http.JSONDecode(zeros) as buffer;
		expect(buffer.len(decoded)).toBe(4_096);
		expect(bytesOf(decoded)).toBe(string.rep("\0", 4_096));
		const random = noise(3_000);
		expect(http.JSONEncode(random)).toContain('"base64":"');
		expect(bytesOf(http.JSONDecode(http.JSONEncode(random)) as buffer)).toBe(bytesOf(random));
	});

	it("count their stored (encoded) size against the 4,194,304 character limit", () => {
		// 4 MB of zeros compresses to a few hundred bytes; 3.2 MB of noise grows by a third in Base64.
		given.store.SetAsync("zeros", buffer.create(4_000_000));
		const [zeros] = given.store.GetAsync<buffer>("zeros", uncached(given.server));
		expect(buffer.len(zeros!)).toBe(4_000_000);
		expect(errorOf(() => given.store.SetAsync("noise", noise(3_200_000)))).toBe(
			"105: Serialized value exceeds 4MB limit.",
		);
		expect(given.store.GetAsync("noise", uncached(given.server))[0]).toBeUndefined();
	});
});
