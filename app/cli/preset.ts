/**
 * `photopool convert --preset NAME`: a recipe saved from the UI (the shared settings file,
 * app/settings.ts) as the base of the job; flags typed on the command line override it, field
 * by field.
 */
import type { JobSpecInput } from '../../common/job.js';
import type { Recipe } from '../../common/settings.js';
import { InvalidOptionsError } from '../../common/validate.js';
import { SettingsStore } from '../settings.js';
import type { ConvertFlags } from './options.js';

/**
 * The preset called `name`; InvalidOptionsError (field `--preset`) listing the saved ones if none is.
 * A corrupt settings file is reported on stderr (and set aside, see app/settings.ts).
 *
 * @example
 * const recipe = loadPreset('web'); // { format: 'webp', quality: 75, ... }
 */
export function loadPreset(name: string, store = new SettingsStore()): Recipe {
  if (store.problem) process.stderr.write(`photopool: ${store.problem}\n`);
  const presets = store.get().presets;
  const found = presets[name.trim()];
  if (found) return found;
  const names = Object.keys(presets);
  throw new InvalidOptionsError([{ field: '--preset', expected: names.length ? `one of ${names.map((n) => JSON.stringify(n)).join(', ')} (saved in ${store.file})` : `a preset saved from the UI (none in ${store.file} yet)`, received: JSON.stringify(name) }]);
}

/**
 * `spec` (made from the flags) with every recipe field whose flag was not typed taken from `preset`.
 *
 * @param typed true when the person typed that flag (commander's option value source is 'cli')
 * @example
 * withPreset(toJobSpec(['in'], flags), loadPreset('web'), (k) => cmd.getOptionValueSource(k) === 'cli')
 */
export function withPreset(spec: JobSpecInput, preset: Recipe, typed: (flag: keyof ConvertFlags) => boolean): JobSpecInput {
  const ops = spec.ops ?? {};
  const resizeTyped = (['resize', 'fit', 'enlarge', 'kernel'] as const).some(typed);
  return {
    ...spec,
    ops: {
      grayscale: typed('gray') ? ops.grayscale : preset.ops.grayscale,
      autoRotate: typed('rotate') ? ops.autoRotate : preset.ops.autoRotate,
      ...((resizeTyped ? ops.resize : preset.ops.resize) && { resize: resizeTyped ? ops.resize : preset.ops.resize }),
    },
    format: typed('format') ? spec.format : preset.format,
    quality: typed('quality') ? spec.quality : preset.quality,
    naming: { template: typed('template') ? spec.naming?.template : preset.naming.template, collision: typed('collision') ? spec.naming?.collision : preset.naming.collision },
    keepExif: typed('keepExif') ? spec.keepExif : preset.keepExif,
    keepIcc: typed('keepIcc') ? spec.keepIcc : preset.keepIcc,
    keepMtime: typed('keepMtime') ? spec.keepMtime : preset.keepMtime,
  };
}
