/** The form's naming fields (renderer/src/naming.ts): plain-words problems, the schema's tokens, the example name, presets keep every step. */
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { RecipeSchema } from '../common/settings.js';
import { checkNaming, exampleName, TOKENS, type NamingForm } from '../renderer/src/naming.js';
import { blockedReason, DEFAULT_RECIPE, toSpecInput } from '../renderer/src/recipe.js';
import { DEFAULT_STEPS } from '../renderer/src/recipe-steps.js';
import { fromForm, toForm } from '../renderer/src/settings.js';

const form: NamingForm = { template: '{dir}/{name}.{ext}', suffix: '', preset: '', besideInput: false, format: 'jpeg', collision: 'skip' };
const photo = { dir: 'trip', file: 'IMG_0042.HEIC', time: { Y: '2024', m: '07', d: '01', H: '09', M: '05', S: '00' }, width: 1024, height: 768 };

describe('naming in the form', () => {
  it('every token the help lists is one the job schema takes', () => {
    for (const { token } of TOKENS) {
      const r = JobSpecSchema.safeParse({ inputs: ['/in'], output: '/out', preset: 'web', naming: { template: `{name}_${token}` } });
      expect(r.success, token).toBe(true);
    }
  });

  it('explains bad templates, suffixes and beside-input choices in plain words', () => {
    expect(checkNaming(form)).toEqual({});
    expect(checkNaming({ ...form, template: '{counter:4}.{ext}' })).toEqual({});
    expect(checkNaming({ ...form, template: 'photo.{ext}' }).template).toMatch(/^Naming must contain \{name\}/);
    expect(checkNaming({ ...form, template: '{name}_{size}.{ext}' }).template).toMatch(/^Naming: \{size\} is not a token\. Tokens: \{name\} \{counter:4\}/);
    expect(checkNaming({ ...form, template: '{width}/{name}.{ext}' }).template).toMatch(/file name only/);
    expect(checkNaming({ ...form, template: '{preset}/{name}.{ext}' }).template).toMatch(/load a preset/);
    expect(checkNaming({ ...form, template: '{preset}/{name}.{ext}', preset: 'web' })).toEqual({});
    expect(checkNaming({ ...form, suffix: 'a/b' }).suffix).toMatch(/must not contain \//);
    expect(checkNaming({ ...form, besideInput: true, format: 'same' }).besideInput).toMatch(/needs a suffix/);
    expect(checkNaming({ ...form, besideInput: true, format: 'same', suffix: '_web' })).toEqual({});
    expect(checkNaming({ ...form, besideInput: true, suffix: '_web', template: '{name}.{ext}' }).template).toMatch(/must be \{dir\}\/\{name\}\.\{ext\}/);
  });

  it('shows the name the engine would write (a HEIC with format "same" becomes a JPEG)', () => {
    expect(exampleName({ ...form, template: '{counter:4}_{name}.{ext}', suffix: '_web' }, photo)).toBe('0001_IMG_0042_web.jpg');
    expect(exampleName({ ...form, template: '{dir}/{exif-date:%Y%m%d_%H%M%S}_{width}x{height}.{ext}' }, photo)).toBe('trip/20240701_090500_1024x768.jpg');
    expect(exampleName({ ...form, template: '{preset}/{date}_{name}.{ext}', preset: 'web: small', format: 'same' }, { ...photo, time: null })).toBe('web- small/YYYY-MM-DD_IMG_0042.jpg');
  });

  it('the form becomes a job with suffix, beside-input, preset and keep-mtime; a preset keeps every step', () => {
    const r = { ...DEFAULT_RECIPE, suffix: '_web', besideInput: true, preset: 'web', steps: { ...DEFAULT_STEPS, keepMtime: true, sharpen: true, maxSize: '300KB', metadata: 'keep-no-gps' as const, watermark: 'text' as const, watermarkText: '© me' } };
    const spec = JobSpecSchema.parse(toSpecInput(r, ['/in'], 2));
    expect(spec).toMatchObject({ besideInput: true, preset: 'web', keepMtime: true, naming: { suffix: '_web' }, ops: { sharpen: true, maxSize: 300_000, metadata: 'keep-no-gps', watermark: { text: '© me' } } });
    const stored = RecipeSchema.parse(fromForm(r));
    const back = toForm(stored);
    expect(back.suffix).toBe('_web');
    expect(back.steps).toMatchObject({ keepMtime: true, sharpen: true, maxSize: '300KB', metadata: 'keep-no-gps', watermark: 'text', watermarkText: '© me' });
    expect(back.besideInput).toBe(false); // where outputs go is not part of a recipe
  });

  it('beside each input: no output folder needed, but never for dropped files (they live in staging)', () => {
    const recipe = { ...DEFAULT_RECIPE, besideInput: true, suffix: '_web' };
    const base = { engineAlive: true, benchRunning: false, recipe, problems: {} };
    expect(blockedReason({ ...base, folders: [{ path: '/photos', done: true, files: 3 }] })).toBeNull();
    expect(blockedReason({ ...base, folders: [{ path: '/tmp/photopool-drop-x/dropped-1', label: 'Dropped: a.jpg', done: true, files: 1 }] })).toMatch(/temporary upload folder/);
  });
});
