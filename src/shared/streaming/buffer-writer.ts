/** Appends little-endian values to a growing buffer; `finish` returns a buffer of the exact length. */
export class BufferWriter {
	private data: buffer;
	private length = 0;

	constructor(initialCapacity = 256) {
		this.data = buffer.create(initialCapacity);
	}

	size(): number {
		return this.length;
	}

	u8(value: number) {
		this.reserve(1);
		buffer.writeu8(this.data, this.length, value);
		this.length += 1;
	}

	u16(value: number) {
		this.reserve(2);
		buffer.writeu16(this.data, this.length, value);
		this.length += 2;
	}

	i16(value: number) {
		this.reserve(2);
		buffer.writei16(this.data, this.length, value);
		this.length += 2;
	}

	u32(value: number) {
		this.reserve(4);
		buffer.writeu32(this.data, this.length, value);
		this.length += 4;
	}

	f64(value: number) {
		this.reserve(8);
		buffer.writef64(this.data, this.length, value);
		this.length += 8;
	}

	/** A string of up to 255 bytes, length first. */
	shortString(value: string) {
		const size = math.min(value.size(), 255);
		this.u8(size);
		this.reserve(size);
		buffer.writestring(this.data, this.length, value, size);
		this.length += size;
	}

	bytes(source: buffer, offset: number, count: number) {
		this.reserve(count);
		buffer.copy(this.data, this.length, source, offset, count);
		this.length += count;
	}

	/** Reserves `count` bytes and returns where they start in `target()` (for tight loops). */
	claim(count: number): number {
		this.reserve(count);
		const offset = this.length;
		this.length += count;
		return offset;
	}

	/** The buffer being written (valid until the next write that grows it). */
	target(): buffer {
		return this.data;
	}

	clear() {
		this.length = 0;
	}

	finish(): buffer {
		const result = buffer.create(this.length);
		buffer.copy(result, 0, this.data, 0, this.length);
		return result;
	}

	private reserve(count: number) {
		const capacity = buffer.len(this.data);
		if (this.length + count <= capacity) return;
		let grown = capacity * 2;
		while (grown < this.length + count) grown *= 2;
		const grownData = buffer.create(grown);
		buffer.copy(grownData, 0, this.data, 0, this.length);
		this.data = grownData;
	}
}
