/** The recipe steps: target size, sharpen, pad colour / crop gravity, watermark, metadata. */
import { ANCHORS, GRAVITIES, METADATA_MODES } from '../../../common/job.js';
import type { StepField, StepsForm } from '../recipe-steps.js';

interface Props {
  steps: StepsForm;
  /** The resize fit (`contain` shows the bars colour, `cover` the gravity); null without resize. */
  fit: string | null;
  problems: Partial<Record<StepField, string>>;
  onChange: (s: StepsForm) => void;
}

const METADATA_LABEL: Record<(typeof METADATA_MODES)[number], string> = {
  strip: 'Strip all',
  keep: 'Keep all',
  'keep-no-gps': 'Keep all but location (GPS)',
};

function Problem({ id, text }: { id: string; text?: string }) {
  return text ? (
    <span className="error" id={`${id}-error`} role="alert">
      {text}
    </span>
  ) : null;
}

/** Fields of the recipe steps; problems from the common schema show beside their fields. */
export function RecipeSteps({ steps, fit, problems, onChange }: Props) {
  const set = <K extends keyof StepsForm>(k: K, v: StepsForm[K]) => onChange({ ...steps, [k]: v });
  const aria = (id: string, k: StepField) => (problems[k] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});
  return (
    <div className="grid recipe-steps">
      <div className="field">
        <label htmlFor="max-size">Target file size</label>
        <input id="max-size" placeholder="e.g. 500KB" value={steps.maxSize} onChange={(e) => set('maxSize', e.target.value)} {...aria('max-size', 'maxSize')} />
        <Problem id="max-size" text={problems.maxSize} />
      </div>
      <div className="field check">
        <input id="sharpen" type="checkbox" checked={steps.sharpen} onChange={(e) => set('sharpen', e.target.checked)} />
        <label htmlFor="sharpen">Sharpen after resize</label>
      </div>
      {fit === 'contain' && (
        <div className="field">
          <label htmlFor="background">Padding colour</label>
          <input id="background" type="color" value={steps.background} onChange={(e) => set('background', e.target.value)} {...aria('background', 'background')} />
          <Problem id="background" text={problems.background} />
        </div>
      )}
      {fit === 'cover' && (
        <div className="field">
          <label htmlFor="gravity">Crop keeps</label>
          <select id="gravity" value={steps.gravity} onChange={(e) => set('gravity', e.target.value as StepsForm['gravity'])}>
            {GRAVITIES.map((g) => (
              <option key={g}>{g}</option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor="watermark">Watermark</label>
        <select id="watermark" value={steps.watermark} onChange={(e) => set('watermark', e.target.value as StepsForm['watermark'])}>
          <option value="none">none</option>
          <option value="text">text</option>
          <option value="image">PNG logo</option>
        </select>
        <Problem id="watermark" text={problems.watermark} />
      </div>
      {steps.watermark === 'text' && (
        <div className="field">
          <label htmlFor="wm-text">Watermark text</label>
          <input id="wm-text" value={steps.watermarkText} onChange={(e) => set('watermarkText', e.target.value)} {...aria('wm-text', 'watermark')} />
        </div>
      )}
      {steps.watermark === 'image' && (
        <div className="field">
          <label htmlFor="wm-image">Logo file (PNG)</label>
          <input id="wm-image" value={steps.watermarkImage} onChange={(e) => set('watermarkImage', e.target.value)} {...aria('wm-image', 'watermark')} />
        </div>
      )}
      {steps.watermark !== 'none' && (
        <>
          <div className="field">
            <label htmlFor="wm-position">Watermark position</label>
            <select id="wm-position" value={steps.watermarkPosition} onChange={(e) => set('watermarkPosition', e.target.value as StepsForm['watermarkPosition'])}>
              {ANCHORS.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="wm-size">Watermark size (% of image)</label>
            <input id="wm-size" inputMode="numeric" value={steps.watermarkSize} onChange={(e) => set('watermarkSize', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="wm-opacity">Watermark opacity (0-1)</label>
            <input id="wm-opacity" inputMode="decimal" value={steps.watermarkOpacity} onChange={(e) => set('watermarkOpacity', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="wm-margin">Watermark margin (% of shorter side)</label>
            <input id="wm-margin" inputMode="decimal" value={steps.watermarkMargin} onChange={(e) => set('watermarkMargin', e.target.value)} />
          </div>
        </>
      )}
      <div className="field">
        <label htmlFor="metadata">Metadata</label>
        <select id="metadata" value={steps.metadata} onChange={(e) => set('metadata', e.target.value as StepsForm['metadata'])} {...aria('metadata', 'metadata')}>
          {METADATA_MODES.map((m) => (
            <option key={m} value={m}>
              {METADATA_LABEL[m]}
            </option>
          ))}
        </select>
        <Problem id="metadata" text={problems.metadata} />
      </div>
      <div className="field check">
        <input id="keep-mtime" type="checkbox" checked={steps.keepMtime} onChange={(e) => set('keepMtime', e.target.checked)} />
        <label htmlFor="keep-mtime">Keep file modification times</label>
      </div>
    </div>
  );
}
