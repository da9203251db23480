/**
 * The settings file (schema: common/settings.ts): `settings.json` in PhotoPool's config folder,
 * the same for the desktop app, browser mode (whatever its port) and the CLI. The folder is
 * env-paths('PhotoPool', { suffix: '' }).config (Linux ~/.config/PhotoPool, macOS
 * ~/Library/Preferences/PhotoPool, Windows %APPDATA%\PhotoPool\Config), or PHOTOPOOL_CONFIG_DIR.
 * Writes are atomic (temporary file, then rename) and queued; a file that is not valid JSON or
 * not valid settings is reported, set aside as `settings.json.corrupt-<time>` and replaced by
 * the defaults: never a crash.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { defaultSettings, SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../common/settings.js';
import { parseOrThrow } from '../common/validate.js';

/**
 * The config folder: PHOTOPOOL_CONFIG_DIR when set, else the platform's.
 *
 * @example
 * configDir() // '/home/me/.config/PhotoPool'
 */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHOTOPOOL_CONFIG_DIR || envPaths('PhotoPool', { suffix: '' }).config;
}

/** What loading found: the settings, and a sentence when the file had to be set aside. */
export interface Loaded {
  settings: Settings;
  problem: string | null;
}

/**
 * Read `file`; a missing file gives the defaults, a corrupt one is renamed aside (defaults too).
 *
 * @example
 * const { settings, problem } = loadSettings(join(configDir(), 'settings.json'));
 */
export function loadSettings(file: string): Loaded {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: defaultSettings(), problem: null };
    return { settings: defaultSettings(), problem: `Could not read the settings file ${file} (${(err as Error).message}): using the defaults` };
  }
  try {
    return { settings: parseOrThrow(SettingsSchema, JSON.parse(text) as unknown), problem: null };
  } catch (err) {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    let kept = `it was kept as ${aside}`;
    try {
      renameSync(file, aside);
    } catch (e) {
      kept = `it could not be set aside (${(e as Error).message})`;
    }
    return { settings: defaultSettings(), problem: `The settings file ${file} was not valid (${(err as Error).message}): ${kept}, and the defaults are used` };
  }
}

/** One settings file, read once and written after each change. */
export class SettingsStore {
  private current: Settings;
  /** Set when the file on disk was unreadable or corrupt at load. */
  readonly problem: string | null;

  /**
   * @param file default `<configDir()>/settings.json`
   * @example
   * const store = new SettingsStore();
   * store.update({ presets: { ...store.get().presets, web: { format: 'webp', quality: 75 } } });
   */
  constructor(readonly file = join(configDir(), 'settings.json')) {
    const loaded = loadSettings(file);
    this.current = loaded.settings;
    this.problem = loaded.problem;
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  /** Validate `patch` (InvalidOptionsError naming the field), apply it, write the file; returns the new settings. */
  update(patch: SettingsPatch): Settings {
    const valid = parseOrThrow(SettingsPatchSchema, patch);
    const next = parseOrThrow(SettingsSchema, { ...this.current, ...valid });
    mkdirSync(join(this.file, '..'), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n');
    renameSync(tmp, this.file);
    this.current = next;
    return this.get();
  }
}
