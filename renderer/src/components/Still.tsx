/**
 * Holds a part of the page still while a batch runs: its children are not re-rendered by the
 * page's redraws (2 a second while converting: each one takes Chromium CPU from the batch) as
 * long as `hold` stays on and `sig` is unchanged. Their own state still updates them. The
 * wrapper takes no box (display: contents) and counts its renders in `data-renders` (what
 * e2e/redraw.spec.ts checks).
 */
import { memo, useRef, type ReactNode } from 'react';

interface Props {
  /** Skip the page's redraws (while a batch runs; the held parts are disabled then). */
  hold: boolean;
  /** What the held parts show, as a string: a change re-renders them even while held. */
  sig: string;
  children: ReactNode;
}

/**
 * @example
 * <Still hold={active} sig={JSON.stringify([recipe, folders])}><RecipeForm … /></Still>
 */
export const Still = memo(
  function Still({ children }: Props) {
    const renders = useRef(0);
    renders.current++;
    return (
      <div className="still" data-renders={renders.current}>
        {children}
      </div>
    );
  },
  (prev, next) => prev.hold && next.hold && prev.sig === next.sig,
);
