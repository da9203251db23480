/**
 * bin/photopool runs `convert` and `resume` from the bundles of `npm run bundle`
 * (dist/cli-bundle/) only while they are newer than every layer's last build, and from dist/
 * otherwise (a stale bundle is never run); PHOTOPOOL_BUNDLE=0 turns the bundles off. Checked on
 * a stand-in dist/ whose entries only say which one ran, so the real build is not touched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers.js';

let root: string;
const LAYERS = ['common', 'workers', 'engine', 'app'];
const CORES = availableParallelism();
/** What the engine started early is sized for by default: 2 x cores at most, cores warm threads. */
const DEF = `${2 * CORES} ${CORES}`;

/** A stand-in: each entry prints its name, its prespawnEngine marks the fork. */
function layout(): void {
  mkdirSync(join(root, 'bin'));
  copyFileSync(BIN, join(root, 'bin', 'photopool'));
  const main = `export async function main(argv) { process.stdout.write(WHO + ' ' + argv.slice(2).join(' ') + '\\n'); return 0; }\n`;
  const client = 'export function prespawnEngine(max, warm) { process.stdout.write(WHO + " forked " + max + " " + warm + "\\n"); }\n';
  const files: Record<string, string> = {
    'app/cli/main.js': `const WHO = 'dist';\n${main}`,
    'app/engine-client.js': `const WHO = 'dist';\n${client}`,
    'cli-bundle/batch-main.js': `const WHO = 'bundle';\n${main}`,
    'cli-bundle/engine-client.js': `const WHO = 'bundle';\n${client}`,
  };
  for (const l of LAYERS) files[`${l}/tsconfig.tsbuildinfo`] = '{}';
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, 'dist', rel, '..'), { recursive: true });
    writeFileSync(join(root, 'dist', rel), text);
  }
  writeFileSync(join(root, 'package.json'), '{"type":"module"}');
}

/** Set the bundle's time and every layer's build time (seconds since the epoch). */
function times(bundle: number, build: number): void {
  utimesSync(join(root, 'dist/cli-bundle/batch-main.js'), bundle, bundle);
  for (const l of LAYERS) utimesSync(join(root, 'dist', l, 'tsconfig.tsbuildinfo'), build, build);
}

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync(process.execPath, [join(root, 'bin', 'photopool'), ...args], { env: { ...process.env, PHOTOPOOL_BUNDLE: '', ...env }, encoding: 'utf8' });

describe('bin/photopool and the bundles', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'pp-bin-'));
    layout();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a bundle newer than the build runs convert and resume, and forks the engine from the bundle', () => {
    times(2_000_000_000, 1_900_000_000);
    expect(run(['convert', 'in', '-o', 'out'])).toBe(`bundle forked ${DEF}\nbundle convert in -o out\n`);
    expect(run(['resume', 'out'])).toBe(`bundle forked ${DEF}\nbundle resume out\n`);
  });

  it('a bundle older than one layer\'s last build is not run', () => {
    times(2_000_000_000, 1_900_000_000);
    utimesSync(join(root, 'dist/engine/tsconfig.tsbuildinfo'), 2_000_000_100, 2_000_000_100);
    expect(run(['convert', 'in', '-o', 'out'])).toBe(`dist forked ${DEF}\ndist convert in -o out\n`);
  });

  it('PHOTOPOOL_BUNDLE=0 turns the bundles off; other commands never use them', () => {
    times(2_000_000_000, 1_900_000_000);
    expect(run(['convert', 'in', '-o', 'out'], { PHOTOPOOL_BUNDLE: '0' })).toBe(`dist forked ${DEF}\ndist convert in -o out\n`);
    expect(run(['doctor'])).toBe('dist doctor\n');
  });

  it('the engine started early warms the threads --workers asks for, none for another model', () => {
    times(2_000_000_000, 1_900_000_000);
    const forked = (args: string[]) => run(['convert', 'in', '-o', 'out', ...args]).split('\n')[0];
    expect(forked(['--workers', '1'])).toBe(`bundle forked ${2 * CORES} 1`);
    expect(forked(['-w', '40'])).toBe(`bundle forked ${Math.max(2 * CORES, 40)} 40`);
    expect(forked(['--workers=3', '--model', 'processes'])).toBe(`bundle forked ${Math.max(2 * CORES, 3)} 0`);
    expect(forked(['--workers', 'many'])).toBe(`bundle forked ${DEF}`); // the parser refuses it later
  });
});
