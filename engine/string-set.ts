/**
 * An exact set of strings kept compactly, for the per-file state of a batch that must not grow
 * with the file count as JavaScript strings do (the inputs a resumed batch finished, the output
 * names the planner handed out): each member is stored once as UTF-8 bytes in one growing
 * buffer, found through an open-addressing table of 32-bit hashes. Two members with the same
 * hash are told apart by comparing their bytes, so the set never confuses two strings.
 * Per member: 4 bytes of length and its UTF-8 (about 1.25x that, the buffer grows by half),
 * and 16-32 bytes of table; a `Set<string>` of paths costs 100-180 bytes each (measured: 17 MiB
 * of heap for 100 000 paths of 55 characters) and its strings are traced by every collection.
 */
import { sep } from 'node:path';

const EMPTY = 0;
const DELETED = 0xffffffff;
const MIN_SLOTS = 64;
/** Bytes before each member's UTF-8 in the arena: its length, with GONE set once deleted. */
const LEN = 4;
const GONE = 0x80000000;

/**
 * FNV-1a over the UTF-16 code units of `s` (32 bits, unsigned).
 *
 * @example
 * fnv1a('') // 2166136261
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class StringSet implements Iterable<string> {
  /** Members in insertion order: [length u32][UTF-8]; a deleted member's bytes stay, marked GONE. */
  private arena = Buffer.allocUnsafe(4096);
  private used = 0;
  /** Per slot: arena offset + 1 of its member, EMPTY or DELETED. */
  private slots = new Uint32Array(MIN_SLOTS);
  private hashes = new Uint32Array(MIN_SLOTS);
  private tombstones = 0;
  private scratch = Buffer.allocUnsafe(1024);
  private count = 0;

  /**
   * @param hash the hash function (default FNV-1a; tests pass a constant one to force collisions)
   * @example
   * const s = new StringSet(); s.add('/in/a.jpg'); s.has('/in/a.jpg') // true
   */
  constructor(private readonly hash: (s: string) => number = fnv1a) {}

  /** Members now. */
  get size(): number {
    return this.count;
  }

  /** True when `s` is a member. */
  has(s: string): boolean {
    return this.find(s, this.hash(s) >>> 0) >= 0;
  }

  /** Add `s`; false when it was a member already. */
  add(s: string): boolean {
    const h = this.hash(s) >>> 0;
    if (this.find(s, h) >= 0) return false;
    if ((this.count + this.tombstones + 1) * 2 > this.slots.length) this.rebuild();
    const len = this.encode(s);
    this.reserve(LEN + len);
    this.arena.writeUInt32LE(len, this.used);
    this.scratch.copy(this.arena, this.used + LEN, 0, len);
    this.place(this.used + 1, h);
    this.used += LEN + len;
    this.count++;
    return true;
  }

  /** Remove `s`; false when it was not a member. */
  delete(s: string): boolean {
    const slot = this.find(s, this.hash(s) >>> 0);
    if (slot < 0) return false;
    const at = this.slots[slot]! - 1;
    this.arena.writeUInt32LE((this.arena.readUInt32LE(at) | GONE) >>> 0, at);
    this.slots[slot] = DELETED;
    this.tombstones++;
    this.count--;
    return true;
  }

  /** The members, in insertion order. */
  *[Symbol.iterator](): Iterator<string> {
    for (let at = 0; at < this.used; ) {
      const word = this.arena.readUInt32LE(at);
      const len = (word & ~GONE) >>> 0;
      if (!(word & GONE)) yield this.arena.toString('utf8', at + LEN, at + LEN + len);
      at += LEN + len;
    }
  }

  /** Bytes held (arena and table): what the set costs. */
  get bytes(): number {
    return this.arena.length + this.slots.byteLength + this.hashes.byteLength + this.scratch.length;
  }

  /** UTF-8 of `s` into the scratch buffer; its length. */
  private encode(s: string): number {
    if (s.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(s.length * 3);
    return this.scratch.write(s, 0, 'utf8');
  }

  private find(s: string, h: number): number {
    const mask = this.slots.length - 1;
    let len = -1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const o = this.slots[i]!;
      if (o === EMPTY) return -1;
      if (o === DELETED || this.hashes[i] !== h) continue;
      if (len < 0) len = this.encode(s);
      const at = o - 1;
      if (this.arena.readUInt32LE(at) === len && this.arena.compare(this.scratch, 0, len, at + LEN, at + LEN + len) === 0) return i;
    }
  }

  private place(offsetPlusOne: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== EMPTY && this.slots[i] !== DELETED) i = (i + 1) & mask;
    if (this.slots[i] === DELETED) this.tombstones--;
    this.slots[i] = offsetPlusOne;
    this.hashes[i] = h;
  }

  /** A table at most half full again (load 1/4 after growing), without tombstones. */
  private rebuild(): void {
    const { slots, hashes } = this;
    let n = MIN_SLOTS;
    while (n < (this.count + 1) * 2) n *= 2;
    this.slots = new Uint32Array(n);
    this.hashes = new Uint32Array(n);
    this.tombstones = 0;
    for (let i = 0; i < slots.length; i++) if (slots[i] !== EMPTY && slots[i] !== DELETED) this.place(slots[i]!, hashes[i]!);
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.arena.length) return;
    let n = Math.ceil(this.arena.length * 1.5);
    while (n < this.used + bytes) n = Math.ceil(n * 1.5);
    const grown = Buffer.allocUnsafe(n);
    this.arena.copy(grown, 0, 0, this.used);
    this.arena = grown;
  }
}

/**
 * A {@link StringSet} of absolute paths, most of them below `base`: those are kept relative to
 * it (the common prefix is stored once). `fold` maps a path to the form compared (the planner
 * folds case on a case-folding output file system); iteration gives the folded paths.
 *
 * @example
 * const done = new PathSet('/photos'); done.add('/photos/2024/a.jpg'); done.has('/photos/2024/a.jpg') // true
 */
export class PathSet implements Iterable<string> {
  private readonly set: StringSet;
  private readonly base: string;

  /** @param hash as for StringSet (tests) */
  constructor(base: string, private readonly fold: (path: string) => string = (p) => p, hash?: (s: string) => number) {
    this.base = fold(base.endsWith(sep) ? base : base + sep);
    this.set = new StringSet(hash);
  }

  get size(): number {
    return this.set.size;
  }
  /** As {@link StringSet.bytes}. */
  get bytes(): number {
    return this.set.bytes;
  }
  has(path: string): boolean {
    return this.set.has(this.key(path));
  }
  add(path: string): boolean {
    return this.set.add(this.key(path));
  }
  delete(path: string): boolean {
    return this.set.delete(this.key(path));
  }
  *[Symbol.iterator](): Iterator<string> {
    for (const k of this.set) yield k.startsWith('\0') ? k.slice(1) : this.base + k;
  }

  /** Relative to base below it; else the whole path after a NUL (which no path holds). */
  private key(path: string): string {
    const p = this.fold(path);
    return p.startsWith(this.base) ? p.slice(this.base.length) : '\0' + p;
  }
}
