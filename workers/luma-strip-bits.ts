/**
 * Bit-level reading and writing of JPEG entropy-coded data for luma-strip.ts: byte stuffing
 * (FF 00), canonical Huffman decoding (ITU T.81 F.2.2.3) and the standard luminance DC table
 * (T.81 Table K.3).
 */

/**
 * A canonical Huffman decoder: a lookup of the codes up to {@link FAST} bits ((length << 8) |
 * value, 0 when longer), and for the longer ones the largest code of each length and where
 * its values start.
 */
export interface HuffDecoder {
  fast: Uint16Array;
  maxcode: Int32Array;
  valptr: Int32Array;
  mincode: Int32Array;
  values: Uint8Array;
}

const FAST = 9;

/** Table K.3: code counts of lengths 1..16 and the categories 0..11 they encode. */
export const STD_DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
export const STD_DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/**
 * A decoder from a DHT table's 16 code counts and its values.
 *
 * @example
 * buildDecoder(Uint8Array.from(STD_DC_BITS), Uint8Array.from(STD_DC_VALUES))
 */
export function buildDecoder(bits: Uint8Array, values: Uint8Array): HuffDecoder {
  const maxcode = new Int32Array(18).fill(-1);
  const valptr = new Int32Array(17);
  const mincode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    const n = bits[l - 1]!;
    if (n) {
      valptr[l] = k;
      mincode[l] = code;
      code += n;
      k += n;
      maxcode[l] = code - 1;
    }
    code <<= 1;
  }
  const fast = new Uint16Array(1 << FAST);
  for (let l = 1; l <= FAST; l++) {
    for (let c = mincode[l]!; c <= maxcode[l]!; c++) {
      const from = c << (FAST - l);
      fast.fill((l << 8) | values[valptr[l]! + c - mincode[l]!]!, from, from + (1 << (FAST - l)));
    }
  }
  return { fast, maxcode, valptr, mincode, values: Uint8Array.from(values) };
}

/** Codes and code lengths of Table K.3, by category. */
export function stdDcCodes(): { code: number[]; size: number[] } {
  const code: number[] = [];
  const size: number[] = [];
  let c = 0;
  let k = 0;
  for (let l = 1; l <= 16; l++) {
    for (let n = 0; n < STD_DC_BITS[l - 1]!; n++) {
      code[STD_DC_VALUES[k]!] = c++;
      size[STD_DC_VALUES[k++]!] = l;
    }
    c <<= 1;
  }
  return { code, size };
}

/** Reads entropy-coded bits between `start` and `end` (a marker), undoing byte stuffing. */
export class BitReader {
  private pos: number;
  private acc = 0;
  private n = 0;
  /** Zero bits added past the end of the data, at the bottom of `acc`. */
  private fake = 0;

  constructor(
    private readonly b: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  /** Whether a read went past the data (a damaged stream). */
  get overrun(): boolean {
    return this.n < this.fake;
  }

  /** Whether all the data was read but for the last byte's padding (libjpeg warns of extraneous bytes otherwise). */
  get done(): boolean {
    return this.pos >= this.end && this.n - this.fake < 8;
  }

  /** At least 24 bits in `acc` (at most 31). */
  private fill(): void {
    while (this.n <= 23) {
      let byte = 0;
      if (this.pos < this.end) {
        byte = this.b[this.pos++]!;
        if (byte === 0xff) this.pos++; // the stuffed 00
      } else {
        this.fake += 8;
      }
      this.acc = ((this.acc << 8) | byte) & 0x7fffffff;
      this.n += 8;
    }
  }

  /** `count` (0..16) bits as an unsigned number, most significant first. */
  bits(count: number): number {
    if (this.n < count) this.fill();
    this.n -= count;
    return (this.acc >>> this.n) & ((1 << count) - 1);
  }

  /** One bit (0 or 1). */
  bit(): number {
    return this.bits(1);
  }

  /** One Huffman-coded value, or -1 for a code the table lacks. */
  huff(d: HuffDecoder): number {
    if (this.n < 16) this.fill();
    const hit = d.fast[(this.acc >>> (this.n - FAST)) & ((1 << FAST) - 1)]!;
    if (hit) {
      this.n -= hit >> 8;
      return hit & 0xff;
    }
    let code = (this.acc >>> (this.n - FAST)) & ((1 << FAST) - 1);
    this.n -= FAST;
    for (let l = FAST + 1; l <= 16; l++) {
      code = (code << 1) | this.bits(1);
      if (code <= d.maxcode[l]!) return d.values[d.valptr[l]! + code - d.mincode[l]!]!;
    }
    return -1;
  }

  /** The signed difference of category `t` (T.81 F.2.2.1 EXTEND). */
  extend(t: number): number {
    if (t === 0) return 0;
    const v = this.bits(t);
    return v < 1 << (t - 1) ? v - (1 << t) + 1 : v;
  }
}

/** Writes entropy-coded bits, stuffing a 00 after every FF, padded with 1 bits at the end. */
export class BitWriter {
  private len = 0;
  private acc = 0;
  private n = 0;

  /** @param buf where to write; replaced by a larger copy when full (read it back from `buffer`) */
  constructor(private buf: Uint8Array) {}

  /** The array written into (the one given, or a larger one). */
  get buffer(): Uint8Array {
    return this.buf;
  }

  /** The low `count` (0..16) bits of `value`, most significant first. */
  write(value: number, count: number): void {
    this.acc = ((this.acc << count) | (value & ((1 << count) - 1))) & 0xffffff;
    this.n += count;
    while (this.n >= 8) {
      this.n -= 8;
      const byte = (this.acc >> this.n) & 0xff;
      if (this.len + 2 > this.buf.length) {
        const bigger = new Uint8Array(Math.max(64, this.buf.length * 2));
        bigger.set(this.buf);
        this.buf = bigger;
      }
      this.buf[this.len++] = byte;
      if (byte === 0xff) this.buf[this.len++] = 0;
    }
  }

  /** The bytes written, the last one padded with 1 bits. */
  finish(): Uint8Array {
    if (this.n) this.write(0x7f, 8 - this.n);
    return this.buf.subarray(0, this.len);
  }
}
