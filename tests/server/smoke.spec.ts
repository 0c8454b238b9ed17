import { describe, expect, it } from "@rbxts/jest-globals";

describe("smoke", () => {
	it("adds", () => {
		expect(1 + 1).toBe(2);
	});
});
