/**
 * The compact string sets (engine/string-set.ts) that hold a batch's per-file state: exact
 * whatever the hashes do (collisions forced with a constant hash), deletions inside probe
 * chains, UTF-8 beyond ASCII, paths outside the base, case folding, and the memory they save.
 */
import { describe, expect, it } from 'vitest';
import { foldName } from '../engine/case-fold.js';
import { fnv1a, PathSet, StringSet } from '../engine/string-set.js';

/** A small deterministic PRNG (xorshift32), so a failure can be replayed. */
function rng(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('StringSet', () => {
  it('adds, finds and deletes exactly, and iterates live members in insertion order', () => {
    const s = new StringSet();
    expect(s.add('a')).toBe(true);
    expect(s.add('b')).toBe(true);
    expect(s.add('a')).toBe(false);
    expect(s.add('')).toBe(true);
    expect([s.has('a'), s.has('b'), s.has(''), s.has('c'), s.has('ab')]).toEqual([true, true, true, false, false]);
    expect(s.delete('b')).toBe(true);
    expect(s.delete('b')).toBe(false);
    expect(s.has('b')).toBe(false);
    expect(s.add('b')).toBe(true);
    expect([...s]).toEqual(['a', '', 'b']);
    expect(s.size).toBe(3);
  });

  it('tells apart members whose hashes collide (every hash equal), before and after deletions', () => {
    const s = new StringSet(() => 42);
    const names = Array.from({ length: 300 }, (_, i) => `/out/d${i % 7}/photo-${i}.jpg`);
    for (const n of names) expect(s.add(n)).toBe(true);
    for (const n of names) expect(s.has(n)).toBe(true);
    expect(s.has('/out/d0/photo-300.jpg')).toBe(false); // same hash, not a member
    expect(s.has('/out/d0/photo-0.jp')).toBe(false); // a prefix of a member
    // delete every third: the members after them in the probe chain are still found
    for (let i = 0; i < names.length; i += 3) expect(s.delete(names[i]!)).toBe(true);
    for (let i = 0; i < names.length; i++) expect(s.has(names[i]!)).toBe(i % 3 !== 0);
    expect(s.size).toBe(200);
    expect([...s]).toEqual(names.filter((_, i) => i % 3 !== 0));
  });

  it('keeps strings beyond ASCII exact (accents, NFC and NFD apart, emoji, long names)', () => {
    const s = new StringSet();
    const nfc = '/in/Café.jpg';
    const nfd = nfc.normalize('NFD');
    const long = '/in/' + 'ü'.repeat(3000) + '.jpg';
    for (const n of [nfc, '/in/🙂.png', long]) s.add(n);
    expect(s.has(nfc)).toBe(true);
    expect(s.has(nfd)).toBe(false);
    expect(s.has('/in/🙂.png')).toBe(true);
    expect(s.has(long)).toBe(true);
    expect(s.has(long.slice(0, -1))).toBe(false);
    expect([...s]).toEqual([nfc, '/in/🙂.png', long]);
  });

  it('agrees with a Set<string> over 20 000 random adds and deletes (a hash of 101 values: ~30 members each)', () => {
    const random = rng(7);
    const weak = (t: string) => fnv1a(t) % 101;
    const s = new StringSet(weak);
    const ref = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const key = `/out/${Math.floor(random() * 3000)}.jpg`;
      if (random() < 0.3) expect(s.delete(key)).toBe(ref.delete(key));
      else expect(s.add(key)).toBe(!ref.has(key) && !!ref.add(key));
    }
    expect(s.size).toBe(ref.size);
    for (let k = 0; k < 3000; k++) expect(s.has(`/out/${k}.jpg`)).toBe(ref.has(`/out/${k}.jpg`));
    expect([...s].sort()).toEqual([...ref].sort());
  });
});

describe('PathSet', () => {
  it('keeps paths below its base relative, and others whole, without mixing them up', () => {
    const s = new PathSet('/photos');
    s.add('/photos/2024/a.jpg');
    s.add('/elsewhere/b.jpg');
    s.add('2024/a.jpg'); // not absolute: must not be taken for /photos/2024/a.jpg
    expect(s.has('/photos/2024/a.jpg')).toBe(true);
    expect(s.has('/elsewhere/b.jpg')).toBe(true);
    expect(s.has('/photos/elsewhere/b.jpg')).toBe(false);
    expect(s.has('/photos2/2024/a.jpg')).toBe(false); // a folder whose name starts like the base
    expect(s.size).toBe(3);
    expect([...s]).toEqual(['/photos/2024/a.jpg', '/elsewhere/b.jpg', '2024/a.jpg']);
    expect(s.delete('/photos/2024/a.jpg')).toBe(true);
    expect(s.has('2024/a.jpg')).toBe(true);
  });

  it('compares folded paths when given the case folding of the output file system', () => {
    const s = new PathSet('/Out', foldName);
    s.add('/Out/Trip/Photo.JPG');
    expect(s.has('/out/trip/photo.jpg')).toBe(true);
    expect(s.has('/Out/Trip/Photo2.JPG')).toBe(false);
    expect(s.has('/Out/Trip/Cafe\u0301.jpg')).toBe(false);
    s.add('/Out/Trip/Cafe\u0301.jpg');
    expect(s.has('/out/trip/CAFÉ.JPG')).toBe(true); // NFD and NFC fold to one name
  });

  it('holds the 100 000 paths of a 100 000-file batch in under 6.5 MB (a Set<string> of them: 17 MiB of heap)', () => {
    const path = (i: number) => `/tmp/photopool-soak/in/d${Math.floor(i / 1000)}/${String(i).padStart(6, '0')}-motorcycle-exif6.jpg`;
    const s = new PathSet('/tmp/photopool-soak/in');
    for (let i = 0; i < 100_000; i++) s.add(path(i));
    for (let i = 0; i < 100_000; i += 997) expect(s.has(path(i))).toBe(true);
    expect(s.has(path(100_000))).toBe(false);
    // relative keys of 31 bytes: 3.5 MB of UTF-8 and lengths, 2 MB of table at load 0.38
    expect(s.bytes).toBeLessThan(6.5e6);
    expect(s.size).toBe(100_000);
  });
});
