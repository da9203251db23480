/**
 * The event level a client asks for (`events` of `start`, common/events.ts EventLevel), honoured
 * by the engine host: at `summary` a batch sends the first `file-start` only and the `file-done`
 * of files with something to say (here: an output renamed past a file that was there before),
 * and its totals still count every file by lane; a client that does not ask gets every event.
 * A resume at `summary` sends no `file-skipped` per input converted before. The CLI without
 * --json asks for `summary` and still prints every file in its lane line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent, EventLevel } from '../common/events.js';
import { spawnEngine } from '../app/engine-client.js';
import { eventFilter } from '../engine/batch/subscription.js';
import { linkFarm, listFiles, ofType, runCli, SAMPLES, tempDir } from './helpers.js';

const COUNT = 12;

/** Send `cmd` to a new engine and collect its events until `done` (`onEvent` may send more commands). */
async function run(cmd: EngineCommand, onEvent: (e: EngineEvent, send: (c: EngineCommand) => void) => void = () => undefined) {
  const engine = spawnEngine({ maxWorkers: 2 });
  const events: EngineEvent[] = [];
  const done = new Promise<void>((resolve) =>
    engine.onEvent((e) => {
      events.push(e);
      onEvent(e, (c) => engine.send(c));
      if (e.type === 'done' || e.type === 'fatal') resolve();
    }),
  );
  engine.send(cmd);
  await done;
  engine.close();
  await engine.exited;
  return events;
}

/** Run one batch over a farm of COUNT samples at `level`; the output of the first input existed before. */
async function batch(level: EventLevel | undefined) {
  const input = linkFarm(SAMPLES, COUNT, `level-${level}`);
  const out = tempDir(`level-${level}-out`);
  mkdirSync(join(out, 'd0'));
  writeFileSync(join(out, 'd0/00000-chelsea.jpg'), 'there before the batch');
  const events = await run({ type: 'start', spec: { inputs: [input], output: out, workers: 2, format: 'jpeg', ops: { resize: { width: 96, height: 96 } }, naming: { collision: 'rename' } }, ...(level && { events: level }) });
  return { events, out };
}

describe('event level', () => {
  it('summary: one file-start, a file-done only for the renamed output, lanes in the totals, every output written', async () => {
    const { events, out } = await batch('summary');
    const fin = ofType(events, 'done')[0]!;
    expect(fin.totals.done).toBe(COUNT);
    expect(ofType(events, 'file-start')).toHaveLength(1);
    const told = ofType(events, 'file-done');
    expect(told.map((e) => [e.input.endsWith('00000-chelsea.jpg'), !!e.renamed])).toEqual([[true, true]]);
    expect(fin.totals.lanes!.luma + fin.totals.lanes!.colour + fin.totals.lanes!.sharp).toBe(COUNT);
    expect(ofType(events, 'progress').length).toBeGreaterThan(0);
    expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(COUNT + 1); // + the file that was there
  });

  it('a client that does not ask gets every event, as before', async () => {
    const { events } = await batch(undefined);
    expect(ofType(events, 'file-start')).toHaveLength(COUNT);
    expect(ofType(events, 'file-done')).toHaveLength(COUNT);
    const lanes = ofType(events, 'done')[0]!.totals.lanes!;
    expect(lanes.luma).toBe(ofType(events, 'file-done').filter((e) => e.lane === 'luma').length);
    expect(lanes.colour).toBe(ofType(events, 'file-done').filter((e) => e.lane === 'colour').length);
    expect(lanes.sharp).toBe(ofType(events, 'file-done').filter((e) => e.lane === 'sharp').length);
  });

  it('summary on resume: no file-skipped per input an earlier run converted; progress and totals count them', async () => {
    const count = 40;
    const input = linkFarm(SAMPLES, count, 'level-resume');
    const out = tempDir('level-resume-out');
    let cancelled = false;
    const first = await run({ type: 'start', spec: { inputs: [input], output: out, workers: 1, format: 'jpeg', ops: { resize: { width: 96, height: 96 } } } }, (e, send) => {
      if (e.type === 'file-done' && !cancelled) (cancelled = true), send({ type: 'cancel' });
    });
    const before = ofType(first, 'done')[0]!.totals.done;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(count);
    const again = await run({ type: 'resume', output: out, events: 'summary' });
    const fin = ofType(again, 'done')[0]!;
    expect(fin.totals.doneBefore).toBe(before);
    expect(fin.totals.done).toBe(count);
    expect(ofType(again, 'file-skipped')).toEqual([]);
    expect(ofType(again, 'progress').at(-1)!.done).toBe(count);
    expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(count);
  });

  it('the filter: the first file-start passes, a plain file-done does not, failures and progress do', () => {
    const plain = { type: 'file-done', input: 'a', output: 'b', worker: 0, ms: 1, inputBytes: 1, outputBytes: 1, width: 1, height: 1, outWidth: 1, outHeight: 1, megapixels: 0, lane: 'luma' } as const;
    const wanted = eventFilter('summary');
    expect([0, 1, 2].map((w) => wanted({ type: 'file-start', input: 'a', worker: w }))).toEqual([true, false, false]);
    expect(wanted(plain)).toBe(false);
    expect(wanted({ ...plain, warnings: ['w'] })).toBe(true);
    expect(wanted({ ...plain, quality: 70 })).toBe(true);
    expect(wanted({ type: 'file-failed', input: 'a', code: 'corrupt', reason: 'r', hint: 'h' })).toBe(true);
    expect(wanted({ type: 'state', state: 'running' })).toBe(true);
    expect(wanted({ type: 'file-skipped', input: 'a', code: 'done-before', reason: 'r' })).toBe(false);
    expect(wanted({ type: 'file-skipped', input: 'a', code: 'output-exists', reason: 'r' })).toBe(true);
    expect(eventFilter()(plain)).toBe(true);
  });

  it('the CLI without --json asks for summary and still counts every file in its lane line', async () => {
    const input = linkFarm(SAMPLES, COUNT, 'level-cli');
    const out = tempDir('level-cli-out');
    const r = await runCli(['convert', input, '-o', out, '--resize', '96x96', '--format', 'jpeg', '--workers', '2']);
    expect(r.code).toBe(0);
    const m = /Lanes: (\d+) luma \(libjpeg-turbo\), (\d+) colour \(libjpeg-turbo \+ libvips\), (\d+) sharp/.exec(r.stdout);
    expect(m && Number(m[1]) + Number(m[2]) + Number(m[3])).toBe(COUNT);
    expect(Number(m![2])).toBeGreaterThan(0); // colour JPEG to JPEG: the colour lane
  });
});
