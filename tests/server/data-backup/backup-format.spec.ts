import { describe, expect, it } from "@rbxts/jest-globals";
import { HttpService } from "@rbxts/services";
import { checksumOf, Checksum } from "server/data-backup/checksum";
import { splitIntoChunks, storedSize } from "server/data-backup/chunking";
import { decodePayload, fromRow, toRow } from "server/data-backup/backup-codec";

describe("backup checksums", () => {
	it("is FNV-1a 32: the published test vectors", () => {
		expect(checksumOf("")).toBe("811c9dc5");
		expect(checksumOf("a")).toBe("e40c292c");
		expect(checksumOf("foobar")).toBe("bf9cf968");
	});

	it("gives the same digest fed in pieces, and a different one for one changed character", () => {
		const text = string.rep("chair,42,", 500);
		expect(new Checksum().update(text, 1, 1000).update(text, 1001, text.size()).digest()).toBe(checksumOf(text));
		expect(checksumOf(text.gsub("42", "43", 1)[0])).never.toBe(checksumOf(text));
	});
});

describe("backup chunks", () => {
	it("splits text so every stored chunk fits and the pieces join back to the text", () => {
		const text = string.rep('{"id":"a\\"b","x":1}', 400);
		const chunks = splitIntoChunks(text, 1024);
		expect(chunks.size()).toBeGreaterThan(1);
		for (const chunk of chunks) {
			expect(storedSize(chunk)).toBeLessThanOrEqual(1024);
			expect(HttpService.JSONEncode(chunk).size()).toBe(storedSize(chunk));
		}
		expect(chunks.join("")).toBe(text);
	});

	it("never cuts a multi-byte character in two", () => {
		const text = string.rep("é", 3000);
		for (const chunk of splitIntoChunks(text, 1001)) expect(utf8.len(chunk)[0]).toBeDefined();
	});

	it("keeps a text that fits in one chunk whole", () => {
		expect(splitIntoChunks("short", 1024)).toEqual(["short"]);
		expect(splitIntoChunks("", 1024)).toEqual([]);
	});
});

describe("backup rows and payloads", () => {
	it("round-trips a placement through a row and refuses malformed rows", () => {
		const placement = { id: "p1", itemId: "chair", x: 2, y: 0, z: 6, rotation: 270, placedAt: 1767225600 };
		expect(fromRow(toRow(placement))).toEqual(placement);
		expect(fromRow(["p1", "chair", 2, 0])).toBeUndefined();
		expect(fromRow(["p1", "chair", 0 / 0, 0, 6, 0, 1])).toBeUndefined();
		expect(fromRow("p1")).toBeUndefined();
	});

	it("says why text is not the expected backup", () => {
		expect(decodePayload("{", "1_1")).toMatch("not valid JSON");
		expect(decodePayload('{"format":1,"id":"2_2","kind":"full","players":{}}', "1_1")).toMatch("holds backup 2_2");
		expect(decodePayload('{"format":9,"id":"1_1","kind":"full","players":{}}', "1_1")).toMatch("format 9");
	});
});
