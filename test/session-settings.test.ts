/**
 * The shared settings file (app/settings.ts) as the UI session serves it: a corrupt file is
 * reported, set aside and replaced by defaults (never a crash); a change keeps every other
 * setting; a bad preset is refused naming the field; `photopool convert --preset` uses it.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../app/settings.js';
import { Session } from '../app/session/session.js';
import type { EngineProcess } from '../app/engine-client.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

const idleEngine = (): EngineProcess => ({ send: () => undefined, onEvent: () => () => undefined, exited: new Promise(() => undefined), pid: 1, close: () => undefined, kill: () => undefined });
const web = { format: 'webp' as const, quality: 70, ops: { grayscale: true, resize: { width: 120 } } };

describe('settings file', () => {
  it('a corrupt file is reported, set aside and replaced by the defaults; the session keeps working', async () => {
    const dir = tempDir('settings-corrupt');
    const file = join(dir, 'settings.json');
    writeFileSync(file, '{"presets": {"web": {"format": "bmp"}}'); // truncated JSON
    const session = new Session({ spawn: idleEngine, settings: new SettingsStore(file) });
    const r = await session.request('getSettings', {});
    expect(r.problem).toMatch(/settings\.json was not valid .*kept as .*settings\.json\.corrupt-/);
    expect(r.settings.presets).toEqual({});
    const aside = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!), 'utf8')).toContain('"bmp"'); // nothing lost
    await session.request('saveSettings', { patch: { presets: { web } } });
    expect(JSON.parse(readFileSync(file, 'utf8')).presets.web.format).toBe('webp');
  });

  it('valid JSON that is not valid settings is set aside too', () => {
    const dir = tempDir('settings-invalid');
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ presets: { web: { format: 'bmp' } } }));
    const store = new SettingsStore(join(dir, 'settings.json'));
    expect(store.problem).toMatch(/presets\.web\.format/);
    expect(store.get().presets).toEqual({});
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });

  it('a change replaces only the fields it names; a bad one is refused naming the field', async () => {
    const file = join(tempDir('settings-patch'), 'settings.json');
    const store = new SettingsStore(file);
    store.update({ presets: { web } });
    store.update({ lastOutput: '/photos/out' });
    expect(new SettingsStore(file).get()).toMatchObject({ lastOutput: '/photos/out', presets: { web: { format: 'webp', quality: 70 } } });
    expect(() => store.update({ presets: { web: { ...web, quality: 0 } } })).toThrow(/presets\.web\.quality/);
    expect(new SettingsStore(file).get().presets.web?.quality).toBe(70);
  });

  it('photopool convert --preset NAME converts with the saved recipe; typed flags override it', async () => {
    const config = tempDir('settings-cli');
    new SettingsStore(join(config, 'settings.json')).update({ presets: { web } });
    const out = tempDir('settings-cli-out');
    const r = await runCli(['convert', join(SAMPLES, 'coffee.jpg'), '-o', out, '--preset', 'web', '-Q', '50'], { env: { PHOTOPOOL_CONFIG_DIR: config } });
    expect(r.code, r.stderr).toBe(0);
    const meta = await sharp(join(out, 'coffee.webp')).metadata();
    expect([meta.format, meta.width]).toEqual(['webp', 120]);
    const out70 = tempDir('settings-cli-out70'); // the preset's own quality (70): a bigger file than -Q 50
    const r70 = await runCli(['convert', join(SAMPLES, 'coffee.jpg'), '-o', out70, '--preset', 'web'], { env: { PHOTOPOOL_CONFIG_DIR: config } });
    expect(r70.code, r70.stderr).toBe(0);
    expect(statSync(join(out70, 'coffee.webp')).size).toBeGreaterThan(statSync(join(out, 'coffee.webp')).size);
    const missing = await runCli(['convert', SAMPLES, '-o', out, '--preset', 'print'], { env: { PHOTOPOOL_CONFIG_DIR: config } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--preset: expected one of "web"/);
  });
});
