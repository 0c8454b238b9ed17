import { describe, expect, it } from "@rbxts/jest-globals";

const encoding = game.GetService("EncodingService");

function hex(bytes: string): string {
	let text = "";
	for (let index = 1; index <= bytes.size(); index++) text += string.format("%02x", string.byte(bytes, index)[0]);
	return text;
}

function errorOf(fn: () => unknown): string | undefined {
	const [ok, problem] = pcall(fn);
	return ok ? undefined : tostring(problem);
}

describe("EncodingService", () => {
	it("is a service: not creatable, one per DataModel", () => {
		expect(encoding.ClassName).toBe("EncodingService");
		expect(game.GetService("EncodingService")).toBe(encoding);
		expect(errorOf(() => (Instance as unknown as { new: (name: string) => Instance }).new("EncodingService"))).toBeDefined();
	});

	it("encodes and decodes Base64 between buffers, refusing what is not Base64", () => {
		const encoded = encoding.Base64Encode(buffer.fromstring("hello"));
		expect(typeOf(encoded)).toBe("buffer");
		expect(buffer.tostring(encoded)).toBe("aGVsbG8=");
		expect(buffer.tostring(encoding.Base64Encode(buffer.create(0)))).toBe("");
		expect(buffer.tostring(encoding.Base64Decode(buffer.fromstring("aGVsbG8=")))).toBe("hello");
		const bytes = buffer.create(256);
		for (let index = 0; index < 256; index++) buffer.writeu8(bytes, index, index);
		expect(buffer.tostring(encoding.Base64Decode(encoding.Base64Encode(bytes)))).toBe(buffer.tostring(bytes));
		expect(errorOf(() => encoding.Base64Decode(buffer.fromstring("a*b=")))).toContain("not valid Base64");
		expect(errorOf(() => encoding.Base64Decode(buffer.fromstring("aGVsb")))).toContain("not valid Base64");
		expect(errorOf(() => encoding.Base64Encode("hello" as never))).toContain("buffer expected, got string");
	});

	it("computes the standard digests, raw bytes of each algorithm's length", () => {
		const abc = buffer.fromstring("abc");
		const digests = {
			Md5: "900150983cd24fb0d6963f7d28e17f72",
			Sha1: "a9993e364706816aba3e25717850c26c9cd0d89d",
			Sha256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			Blake2b: "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319",
			Blake3: "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85",
		};
		for (const [name, expected] of pairs(digests)) {
			const fromBuffer = encoding.ComputeBufferHash(abc, Enum.HashAlgorithm[name]);
			expect(typeOf(fromBuffer)).toBe("buffer");
			expect(hex(buffer.tostring(fromBuffer))).toBe(expected);
			expect(hex(encoding.ComputeStringHash("abc", Enum.HashAlgorithm[name]))).toBe(expected);
		}
		expect(hex(encoding.ComputeStringHash("abc", "Sha256"))).toBe(digests.Sha256);
		expect(errorOf(() => encoding.ComputeStringHash("abc", "Sha512" as never))).toContain("Enum.HashAlgorithm");
	});

	it("compresses with Zstandard and back, with the size in the frame header", () => {
		const text = string.rep("placement ", 1_000);
		const compressed = encoding.CompressBuffer(buffer.fromstring(text), Enum.CompressionAlgorithm.Zstd);
		expect(buffer.len(compressed)).toBeLessThan(200);
		expect(buffer.readu32(compressed, 0)).toBe(0xfd2fb528);
		expect(encoding.GetDecompressedBufferSize(compressed, Enum.CompressionAlgorithm.Zstd)).toBe(text.size());
		expect(buffer.tostring(encoding.DecompressBuffer(compressed, Enum.CompressionAlgorithm.Zstd))).toBe(text);
		const strongest = encoding.CompressBuffer(buffer.fromstring(text), "Zstd", 19);
		expect(buffer.tostring(encoding.DecompressBuffer(strongest, "Zstd"))).toBe(text);
		const empty = encoding.CompressBuffer(buffer.create(0), Enum.CompressionAlgorithm.Zstd);
		expect(buffer.len(encoding.DecompressBuffer(empty, Enum.CompressionAlgorithm.Zstd))).toBe(0);
	});

	it("waits on the zstd program with a few dozen resumes a call, not thousands (each costs Lune a reference slot for good)", () => {
		const text = string.rep("placement 1234567890 ", 4_000);
		const before = Headless.hostWaitResumes();
		const calls = 10;
		for (let index = 0; index < calls; index++) {
			const compressed = encoding.CompressBuffer(buffer.fromstring(text), "Zstd");
			expect(buffer.tostring(encoding.DecompressBuffer(compressed, "Zstd"))).toBe(text);
		}
		// Back to back, a call took thousands; paced, a few dozen (one a millisecond at most, so this
		// bound also holds for calls of up to about 90 ms on a busy host).
		expect(Headless.hostWaitResumes() - before).toBeLessThan(calls * 2 * 100);
	});

	it("refuses data that is not Zstandard and levels outside the range", () => {
		const garbage = buffer.fromstring("not a frame at all");
		expect(errorOf(() => encoding.DecompressBuffer(garbage, Enum.CompressionAlgorithm.Zstd))).toContain(
			"not valid Zstandard data",
		);
		expect(encoding.GetDecompressedBufferSize(garbage, Enum.CompressionAlgorithm.Zstd)).toBeUndefined();
		const truncated = encoding.CompressBuffer(buffer.create(5_000), Enum.CompressionAlgorithm.Zstd);
		const cut = buffer.create(buffer.len(truncated) - 3);
		buffer.copy(cut, 0, truncated, 0, buffer.len(cut));
		expect(errorOf(() => encoding.DecompressBuffer(cut, Enum.CompressionAlgorithm.Zstd))).toContain(
			"not valid Zstandard data",
		);
		expect(errorOf(() => encoding.CompressBuffer(buffer.create(1), Enum.CompressionAlgorithm.Zstd, 23))).toContain(
			"compressionLevel",
		);
		expect(errorOf(() => encoding.CompressBuffer(buffer.create(1), Enum.CompressionAlgorithm.Zstd, 1.5))).toContain(
			"compressionLevel",
		);
	});

	it("exposes the newer enums like any other", () => {
		expect(typeOf(Enum.HashAlgorithm.Sha256)).toBe("EnumItem");
		expect(Enum.HashAlgorithm.Sha256.Value).toBe(4);
		expect(Enum.HashAlgorithm.Sha256.Name).toBe("Sha256");
		expect(tostring(Enum.CompressionAlgorithm.Zstd)).toBe("Enum.CompressionAlgorithm.Zstd");
		expect(Enum.HashAlgorithm.GetEnumItems().size()).toBe(5);
		expect(Enum.KeyCode.A.Name).toBe("A");
	});
});
