/**
 * Before/after slider: both images in one frame, the split moved with the slider (or by dragging
 * when fitted); "100%" shows the output pixel for pixel, panned by dragging or the arrow keys.
 */
import { useRef, useState, type PointerEvent } from 'react';

interface Props {
  before: string | null;
  after: string | null;
  /** Pixel size of the output (what 100% means). */
  width: number;
  height: number;
  /** Accessible names of the two images. */
  beforeAlt: string;
  afterAlt: string;
  /** Called when an image fails to load (the caller renders it another way). */
  onBeforeError?: () => void;
  onAfterError?: () => void;
}

/** The slider view (a `figure` with the images, the split slider and the zoom buttons). */
export function BeforeAfter({ before, after, width, height, beforeAlt, afterAlt, onBeforeError, onAfterError }: Props) {
  const [split, setSplit] = useState(50);
  const [full, setFull] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);

  const down = (e: PointerEvent<HTMLDivElement>) => {
    const el = scroller.current!;
    el.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, left: el.scrollLeft, top: el.scrollTop };
    if (!full) move(e);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const el = scroller.current!;
    if (!drag.current) return;
    if (full) {
      el.scrollLeft = drag.current.left - (e.clientX - drag.current.x);
      el.scrollTop = drag.current.top - (e.clientY - drag.current.y);
    } else {
      const box = el.getBoundingClientRect();
      setSplit(Math.round(Math.min(100, Math.max(0, ((e.clientX - box.left) / box.width) * 100))));
    }
  };
  const stage = full ? { width, height } : { width: '100%', height: '100%' };
  return (
    <figure className="before-after-view">
      <div
        ref={scroller}
        className={`ba-frame${full ? ' full' : ''}`}
        data-testid="ba-frame"
        tabIndex={0}
        aria-label={full ? 'Preview at 100%: drag or use the arrow keys to pan' : 'Preview fitted: drag to move the split'}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={() => (drag.current = null)}
      >
        <div className="ba-stage" style={stage}>
          {before && <img src={before} alt={beforeAlt} draggable={false} className="ba-before" onError={onBeforeError} />}
          {after && <img src={after} alt={afterAlt} draggable={false} className="ba-after" style={{ clipPath: `inset(0 0 0 ${split}%)` }} onError={onAfterError} />}
          <div className="ba-line" style={{ left: `${split}%` }} aria-hidden="true" />
        </div>
      </div>
      <div className="row">
        <label htmlFor="ba-split">Before/after split</label>
        <input id="ba-split" type="range" min={0} max={100} value={split} onChange={(e) => setSplit(Number(e.target.value))} aria-valuetext={`${split}% before, ${100 - split}% after`} />
        <span className="muted">← before · after →</span>
        <button type="button" aria-pressed={!full} onClick={() => setFull(false)}>
          Fit
        </button>
        <button type="button" aria-pressed={full} onClick={() => setFull(true)}>
          100%
        </button>
      </div>
    </figure>
  );
}
