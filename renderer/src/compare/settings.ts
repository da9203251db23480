/**
 * The Compare form's choices (kept in localStorage) and their conversion to the engine's
 * BenchOptions, validated by the same schema the engine uses.
 */
import { BenchOptionsSchema, type BenchOptionsInput } from '../../../common/bench.js';
import { MODELS } from '../../../common/job.js';

export type ModelName = (typeof MODELS)[number];
export { MODELS };

export interface CompareSettings {
  /** Added folders left out of the comparison (new folders are in by default). */
  excluded: string[];
  models: ModelName[];
  workers: number[];
  repeat: number;
  /** What runs: the Convert tab's recipe (default) or the reference job of BENCHMARKS.md. */
  job: 'recipe' | 'reference';
  /** Each cell also through the Cluster setting's broker (this machine + remote workers). */
  cluster?: boolean;
}

const KEY = 'photopool.compare';

/** Defaults: threads at 1..cores workers, 3 timed runs per cell. */
export function defaultSettings(cores: number): CompareSettings {
  return { excluded: [], models: ['threads'], workers: Array.from({ length: Math.max(1, cores) }, (_, i) => i + 1), repeat: 3, job: 'recipe' };
}

/** The saved choices, or the defaults. */
export function loadSettings(cores: number): CompareSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<CompareSettings> | null;
    return { ...defaultSettings(cores), ...(saved ?? {}) };
  } catch {
    return defaultSettings(cores);
  }
}

/** Remember the choices for the next visit. */
export function saveSettings(s: CompareSettings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}

/** Toggle `value` in a sorted list. */
export function toggled<T extends string | number>(list: T[], value: T, on: boolean): T[] {
  const rest = list.filter((x) => x !== value);
  return (on ? [...rest, value] : rest).sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

/**
 * The options to send, or a sentence saying what is missing.
 *
 * @example
 * toBenchOptions({ excluded: [], models: ['threads'], workers: [1, 2], repeat: 1, job: 'recipe' }, ['/photos'], { format: 'webp', quality: 70 })
 */
export function toBenchOptions(s: CompareSettings, folders: string[], recipe: BenchOptionsInput['job'] | null = null): { options: BenchOptionsInput } | { problem: string } {
  const inputs = folders.filter((f) => !s.excluded.includes(f));
  if (!inputs.length) return { problem: 'Choose at least one folder (add folders under Inputs).' };
  if (!s.models.length) return { problem: 'Choose at least one model.' };
  if (!s.workers.length) return { problem: 'Choose at least one worker count.' };
  const job = s.job === 'recipe' && recipe ? { job: recipe } : {};
  const options = { inputs, models: MODELS.filter((m) => s.models.includes(m)), workers: [...s.workers].sort((a, b) => a - b), repeat: s.repeat, ...job, ...(s.cluster && { cluster: true }) };
  const r = BenchOptionsSchema.safeParse(options);
  if (!r.success) return { problem: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { options };
}
