/**
 * A progressive YCbCr JPEG rewritten as a one-component (gray) progressive JPEG holding its
 * Y plane alone, for the luma lane. libjpeg keeps every DCT coefficient of every component
 * while it decodes a progressive JPEG, chroma included even when only luma is asked for
 * (13 MP in 4:2:2: 52 MiB, of which 26 are chroma), and it Huffman-decodes every chroma scan.
 * The rewrite keeps the Y scans' bytes as they are (progressive AC scans hold one component
 * each), drops the chroma scans, and re-encodes the interleaved DC scans (several components
 * per scan) with Y's blocks alone, in the raster order of a one-component scan, with the
 * standard luminance DC table. The coefficients are the same, so the decoded Y plane is
 * identical (test/luma-strip.test.ts compares them).
 *
 * Returns null for anything it does not rewrite (baseline, one component, restart markers,
 * arithmetic coding, Y not the largest component, damaged or cut-short streams, bytes left over
 * after a scan): the lane then decodes the file as it is, and libjpeg says what is wrong with it.
 */
import { borrow } from './buffers.js';
import { BitReader, BitWriter, buildDecoder, STD_DC_BITS, STD_DC_VALUES, stdDcCodes, type HuffDecoder } from './luma-strip-bits.js';

/** The standard luminance DC table's codes and code lengths by category, for writeDcFirst. */
const STD_DC = stdDcCodes();

// Scratch arrays reused from scan to scan and file to file (a worker strips one file at a time).
let scratch = new Int32Array(0);
let writeScratch: Uint8Array = new Uint8Array(1 << 16);

interface Comp {
  id: number;
  h: number;
  v: number;
}

/**
 * The Y plane of a progressive YCbCr JPEG as a gray progressive JPEG, or null (see above). The
 * result is borrowed (buffers.ts): hand it back with `release` once decoded.
 *
 * @example
 * const gray = stripChroma(progressiveJpeg); // decode it or the original: the same luma
 * if (gray) release(gray);
 */
export function stripChroma(b: Uint8Array): Buffer | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const out: Uint8Array[] = [Uint8Array.of(0xff, 0xd8)];
  const dc = new Map<number, HuffDecoder>();
  let comps: Comp[] = [];
  let width = 0;
  let height = 0;
  let i = 2;
  for (;;) {
    if (i + 2 > b.length || b[i] !== 0xff) return null;
    const m = b[i + 1]!;
    if (m === 0xff) {
      i++;
      continue;
    }
    if (m === 0xd9) break; // EOI
    if (i + 4 > b.length) return null;
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    const s = i + 4;
    const e = i + 2 + len;
    if (len < 2 || e > b.length) return null;
    const seg = b.subarray(i, e);
    if (m === 0xc2) {
      if (b[s] !== 8 || b[s + 5] !== 3) return null;
      height = (b[s + 1]! << 8) | b[s + 2]!;
      width = (b[s + 3]! << 8) | b[s + 4]!;
      comps = [0, 1, 2].map((k) => ({ id: b[s + 6 + 3 * k]!, h: b[s + 7 + 3 * k]! >> 4, v: b[s + 7 + 3 * k]! & 15 }));
      const [y, ...chroma] = comps;
      if (!width || !height || chroma.some((c) => c.h > y!.h || c.v > y!.v)) return null;
      // the same frame with Y alone, sampled 1x1 (a lone component's grid does not depend on it)
      out.push(Uint8Array.of(0xff, 0xc2, 0, 11, 8, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, 1, y!.id, 0x11, b[s + 8]!));
      i = e;
    } else if (m === 0xc4) {
      if (!readDht(b, s, e, dc)) return null;
      out.push(seg);
      i = e;
    } else if (m === 0xdd) {
      if (((b[s]! << 8) | b[s + 1]!) !== 0) return null; // restart markers: not rewritten
      i = e;
    } else if (m === 0xdb) {
      out.push(seg);
      i = e;
    } else if ((m >= 0xe0 && m <= 0xef) || m === 0xfe) {
      i = e; // APPn, COM: not needed to decode
    } else if (m === 0xda) {
      if (!comps.length) return null;
      const end = scanEnd(b, e);
      if (end < 0) return null;
      const scan = rewriteScan(b, s, e, end, comps, width, height, dc);
      if (!scan) return null;
      out.push(...scan);
      i = end;
    } else {
      return null; // another frame type, DNL, ...
    }
  }
  out.push(Uint8Array.of(0xff, 0xd9));
  const whole = borrow(out.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of out) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

/** Where the entropy-coded data that starts at `i` ends: its next marker (not FF00). */
function scanEnd(b: Uint8Array, i: number): number {
  for (let k = b.indexOf(0xff, i); k >= 0 && k + 1 < b.length; k = b.indexOf(0xff, k + 1)) {
    const n = b[k + 1]!;
    if (n !== 0 && n !== 0xff) return n >= 0xd0 && n <= 0xd7 ? -1 : k;
  }
  return -1;
}

/** Record the DC tables a DHT segment defines; false when it is malformed. */
function readDht(b: Uint8Array, s: number, e: number, dc: Map<number, HuffDecoder>): boolean {
  let k = s;
  while (k < e) {
    const tc = b[k]! >> 4;
    const th = b[k]! & 15;
    const bits = b.subarray(k + 1, k + 17);
    if (bits.length < 16) return false;
    const n = bits.reduce((a, x) => a + x, 0);
    const values = b.subarray(k + 17, k + 17 + n);
    if (values.length < n) return false;
    if (tc === 0) dc.set(th, buildDecoder(bits, values));
    k += 17 + n;
  }
  return k === e;
}

/**
 * Y's values of an interleaved DC scan in raster block order: DC values (shifted by the scan's
 * Al) of a first scan (`dec`: each component's table), or the refinement bits (`dec` null).
 *
 * The work is done one MCU row per call of {@link dcRowFirst} or {@link dcRowRefine}, each
 * with one kind of scan alone: V8 then optimizes small functions that it has seen run whole,
 * once per worker. A single function with both kinds of scan and the whole image in its loops
 * was compiled on the stack mid-loop (OSR) before its other paths had run, and deoptimized and
 * compiled again some ten times per worker: 0.4 CPU-s of compiling per 200 files on the
 * 2 cores that the workers need (issue 17).
 */
function readDc(r: BitReader, comps: Comp[], yAt: number, dec: HuffDecoder[] | null, mcusX: number, mcusY: number, bw: number, bh: number): Int32Array | null {
  if (scratch.length < bw * bh) scratch = new Int32Array(bw * bh);
  const values = scratch.subarray(0, bw * bh);
  const blocks = Int32Array.from(comps, (c) => c.h * c.v);
  const pred = new Int32Array(comps.length);
  const yh = comps[yAt]!.h;
  const yv = comps[yAt]!.v;
  for (let my = 0; my < mcusY; my++) {
    const ok = dec ? dcRowFirst(r, dec, blocks, pred, yAt, yh, yv, my, mcusX, bw, bh, values) : dcRowRefine(r, blocks, yAt, yh, yv, my, mcusX, bw, bh, values);
    if (!ok) return null;
  }
  return r.overrun || !r.done ? null : values;
}

/** One MCU row of a first DC scan: Y's DC values (with `pred`, each component's predictor) into `values`; false for a code the table lacks. */
function dcRowFirst(r: BitReader, dec: HuffDecoder[], blocks: Int32Array, pred: Int32Array, yAt: number, yh: number, yv: number, my: number, mcusX: number, bw: number, bh: number, values: Int32Array): boolean {
  for (let mx = 0; mx < mcusX; mx++) {
    for (let k = 0; k < blocks.length; k++) {
      const d = dec[k]!;
      for (let j = 0; j < blocks[k]!; j++) {
        const t = r.huff(d);
        if (t < 0 || t > 15) return false;
        const val = (pred[k] = pred[k]! + r.extend(t));
        if (k === yAt) store(values, val, my * yv + ((j / yh) | 0), mx * yh + (j % yh), bw, bh);
      }
    }
  }
  return true;
}

/** One MCU row of a DC refinement scan: Y's bits into `values`. */
function dcRowRefine(r: BitReader, blocks: Int32Array, yAt: number, yh: number, yv: number, my: number, mcusX: number, bw: number, bh: number, values: Int32Array): boolean {
  for (let mx = 0; mx < mcusX; mx++) {
    for (let k = 0; k < blocks.length; k++) {
      for (let j = 0; j < blocks[k]!; j++) {
        const val = r.bits(1);
        if (k === yAt) store(values, val, my * yv + ((j / yh) | 0), mx * yh + (j % yh), bw, bh);
      }
    }
  }
  return true;
}

/** A block's value at (row, col) of the Y plane's block grid, unless it is MCU padding outside it. */
function store(values: Int32Array, val: number, row: number, col: number, bw: number, bh: number): void {
  if (row < bh && col < bw) values[row * bw + col] = val;
}

/** Y's DC values as a one-component first DC scan with the standard table; false for a difference of a category above 11. */
function writeDcFirst(w: BitWriter, values: Int32Array): boolean {
  let last = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const d = v - last;
    last = v;
    const t = d === 0 ? 0 : 32 - Math.clz32(Math.abs(d));
    if (t > 11) return false;
    w.write(STD_DC.code[t]!, STD_DC.size[t]!);
    if (t) w.write(d < 0 ? d + (1 << t) - 1 : d, t);
  }
  return true;
}

/** Y's refinement bits as a one-component DC refinement scan. */
function writeDcRefine(w: BitWriter, values: Int32Array): void {
  for (let k = 0; k < values.length; k++) w.write(values[k]!, 1);
}

/** One scan's segments in the output: as it is (a Y scan), none (chroma), or re-encoded (an interleaved DC scan). */
function rewriteScan(b: Uint8Array, s: number, e: number, end: number, comps: Comp[], width: number, height: number, dc: Map<number, HuffDecoder>): Uint8Array[] | null {
  const ns = b[s]!;
  const sel = Array.from({ length: ns }, (_, k) => ({ comp: comps.findIndex((c) => c.id === b[s + 1 + 2 * k]), td: b[s + 2 + 2 * k]! >> 4 }));
  const p = s + 1 + 2 * ns;
  const [ss, se, ahal] = [b[p]!, b[p + 1]!, b[p + 2]!];
  if (sel.some((x) => x.comp < 0)) return null;
  const yAt = sel.findIndex((x) => x.comp === 0);
  if (yAt < 0) return []; // chroma only
  if (ns === 1) return [b.subarray(s - 4, end)]; // Y alone: its header and data as they are
  if (ss !== 0 || se !== 0) return null; // an interleaved scan is a DC scan
  const ah = ahal >> 4;
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  const hmax = comps[0]!.h;
  const vmax = comps[0]!.v;
  const mcusX = Math.ceil(width / (8 * hmax));
  const mcusY = Math.ceil(height / (8 * vmax));
  const dec = sel.map((x) => dc.get(x.td));
  if (ah === 0 && dec.some((d) => !d)) return null;
  const values = readDc(new BitReader(b, e, end), sel.map((x) => comps[x.comp]!), yAt, ah === 0 ? (dec as HuffDecoder[]) : null, mcusX, mcusY, bw, bh);
  if (!values) return null;
  const w = new BitWriter(writeScratch);
  if (ah === 0) {
    if (!writeDcFirst(w, values)) return null;
  } else {
    writeDcRefine(w, values);
  }
  const head: number[] = [0xff, 0xda, 0, 8, 1, comps[0]!.id, 0x00, 0, 0, ahal];
  const parts: Uint8Array[] = [];
  if (ah === 0) parts.push(Uint8Array.of(0xff, 0xc4, 0, 2 + 17 + STD_DC_VALUES.length, 0x00, ...STD_DC_BITS, ...STD_DC_VALUES));
  const data = w.finish();
  writeScratch = w.buffer; // grown, maybe
  parts.push(Uint8Array.from(head), data.slice()); // a copy: the scratch serves the next scan
  return parts;
}
