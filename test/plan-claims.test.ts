/**
 * The planner's claim list (engine/plan.ts) on resume: outputs an earlier run wrote are never
 * handed to another input, with or without case folding, whether the planner takes the journal's
 * set over (no folding) or copies it folded; a released claim is free again.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { Planner } from '../engine/plan.js';
import { PathSet } from '../engine/string-set.js';
import { tempDir } from './helpers.js';

/** Inputs in two folders that a flat template ({name}.{ext}) sends to one output folder. */
function setup() {
  const input = tempDir('claims-in');
  const out = tempDir('claims-out');
  for (const [dir, name] of [['x', 'a.jpg'], ['y', 'a.jpg'], ['y', 'B.jpg']] as const) {
    mkdirSync(join(input, dir), { recursive: true });
    writeFileSync(join(input, dir, name), 'not read by the planner');
  }
  const spec = JobSpecSchema.parse({ inputs: [input], output: out, format: 'jpeg', naming: { template: '{name}.{ext}', collision: 'overwrite-output' } });
  const item = (dir: string, name: string) => ({ path: join(input, dir, name), relDir: dir, root: 0, format: 'jpeg' as const });
  return { input, out, spec, item };
}

describe('planner claims on resume', () => {
  it('gives a new input a numbered name when an earlier run wrote its plain name (the set taken over)', async () => {
    const { out, spec, item } = setup();
    const outputs = new PathSet(out);
    outputs.add(join(out, 'a.jpg')); // x/a.jpg, done by the earlier run (its output is not even on disk: the claim decides)
    const planner = new Planner(spec, { earlier: { planned: new Map(), outputs } });
    const y = await planner.plan(item('y', 'a.jpg'));
    expect(y?.output).toBe(join(out, 'a-1.jpg'));
    expect(y?.renamed?.reason).toMatch(/another input of this batch has that output name/);
    expect(outputs.has(join(out, 'a-1.jpg'))).toBe(true); // the journal's set is the claim list now
    expect((await planner.plan(item('y', 'B.jpg')))?.output).toBe(join(out, 'B.jpg'));
  });

  it('on a case-folding output folder compares folded names against a copy of the earlier outputs', async () => {
    const { out, spec, item } = setup();
    const outputs = new PathSet(out);
    outputs.add(join(out, 'b.JPG'));
    const planner = new Planner(spec, { foldsCase: true, earlier: { planned: new Map(), outputs } });
    expect((await planner.plan(item('y', 'B.jpg')))?.output).toBe(join(out, 'B-1.jpg'));
    expect(outputs.size).toBe(1); // copied, not taken over: its members are not folded
  });

  it('keeps the name an earlier run planned for an input, and frees a released claim', async () => {
    const { input, out, spec, item } = setup();
    const planned = new Map([[join(input, 'y', 'a.jpg'), join(out, 'a-7.jpg')]]);
    const planner = new Planner(spec, { earlier: { planned, outputs: new PathSet(out) } });
    expect((await planner.plan(item('y', 'a.jpg')))?.output).toBe(join(out, 'a-7.jpg'));
    const x = await planner.plan(item('x', 'a.jpg'));
    expect(x?.output).toBe(join(out, 'a.jpg'));
    planner.release(x!.output);
    expect((await planner.plan(item('x', 'a.jpg')))?.output).toBe(join(out, 'a.jpg')); // not a-1.jpg
  });
});
