/**
 * workers/vips-sync.ts: the luma lane's on-thread resize gives the very bytes sharp gives, for
 * every EXIF orientation and kernel, on a real photo's gray plane; its errors name libvips' reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { allowBlocking } from '../workers/blocking.js';
import { webpLibrary } from '../workers/libwebp.js';
import { vipsLibraryPath, vipsSync as onThread } from '../workers/vips-sync.js';
import { BIN, SAMPLES } from './helpers.js';

/** What the luma lane did with sharp before: the same calls, in the same order. */
async function withSharp(plane: Buffer, w: number, h: number, tw: number, th: number, o: number, kernel: 'linear' | 'lanczos3'): Promise<Buffer> {
  let img = sharp(plane, { raw: { width: w, height: h, channels: 1 } });
  if (o === 3) img = img.rotate(180);
  else if (o >= 5 && o <= 7) img = img.rotate(90);
  else if (o === 8) img = img.rotate(270);
  if (o === 2 || o === 7) img = img.flop();
  else if (o === 4 || o === 5) img = img.flip();
  return img.resize(tw, th, { fit: 'fill', kernel }).toColourspace('b-w').raw().toBuffer();
}

describe.runIf(process.platform === 'linux')('on-thread libvips resize', () => {
  it('is never used where the thread may not block, and is available beside sharp on Linux', () => {
    expect(onThread()).toBeNull(); // the test runner, like the engine's own thread
    allowBlocking(); // what a worker process does at start
    expect(onThread()).not.toBeNull();
  });

  it('gives sharp\'s bytes for all 8 orientations, linear and lanczos3, shrinking and not', async () => {
    const { data: plane, info } = await sharp(readFileSync(join(SAMPLES, 'coffee.jpg'))).greyscale().raw().toBuffer({ resolveWithObject: true });
    const [w, h] = [info.width, info.height];
    let compared = 0;
    for (let o = 1; o <= 8; o++) {
      const turned = o >= 5;
      for (const [tw0, th0] of [[Math.round(w * 0.61), Math.round(h * 0.61)], [w, h]] as const) {
        const [tw, th] = turned ? [th0, tw0] : [tw0, th0];
        for (const kernel of ['linear', 'lanczos3'] as const) {
          const ours = Buffer.alloc(tw * th + 7, 1); // larger than needed: the rest stays untouched
          onThread()!.resizeOriented(plane, w, h, tw, th, o, kernel, ours);
          const theirs = await withSharp(plane, w, h, tw, th, o, kernel);
          expect(ours.subarray(0, tw * th).equals(theirs), `orientation ${o}, ${kernel}, ${tw}x${th}`).toBe(true);
          expect([...ours.subarray(tw * th)]).toEqual([1, 1, 1, 1, 1, 1, 1]);
          // computed a few rows at a time: any strip height gives the same bytes
          const inSevens = Buffer.alloc(tw * th);
          onThread()!.resizeOriented(plane, w, h, tw, th, o, kernel, inSevens, 1, 7);
          expect(inSevens.equals(theirs), `orientation ${o}, ${kernel}, ${tw}x${th}, 7 rows at a time`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(32);
  });

  it('reports a size libvips cannot give as an error, not as pixels', () => {
    const plane = Buffer.alloc(64 * 48, 128);
    expect(() => onThread()!.resizeOriented(plane, 64, 48, 0, 10, 1, 'linear', Buffer.alloc(10))).toThrow(/libvips/);
    expect(() => onThread()!.resizeOriented(plane, 64, 48, 32, 24, 1, 'linear', Buffer.alloc(100))).toThrow(/cannot hold 32x24/);
  });

  it('photopool doctor says where the on-thread resize comes from (sharp\'s own libvips) and which libwebp the lane encodes with', () => {
    const r = spawnSync(process.execPath, [BIN, 'doctor', '--json'], { encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { lumaResize: string | null; webpEncoder: { path: string; version: string } | null };
    expect(report.webpEncoder).toEqual(webpLibrary());
    expect(report.lumaResize).toBe(vipsLibraryPath());
    expect(report.lumaResize).toMatch(/sharp-libvips-linux(musl)?-[a-z0-9]+\/lib\/libvips-cpp\.so\.[\d.]+$/);
    expect(existsSync(report.lumaResize!)).toBe(true);
  });
});
