/**
 * The modal shown when Convert is refused because the output folder holds an unfinished batch:
 * Resume it, Start over (finished outputs are kept), or Cancel (Esc). A native modal <dialog>:
 * the rest of the page is inert, focus starts on Resume, Tab cycles inside the dialog, and focus
 * goes back to where it was (Convert) when it closes.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';

interface Props {
  /** The output folder holding the unfinished batch. */
  output: string;
  /** What the engine said. */
  message: string;
  onResume: () => void;
  onStartOver: () => void;
  /** Closed without a choice (Cancel or Esc). */
  onCancel: () => void;
}

/** Keep Tab and Shift+Tab inside `box` (wrapping from the last control to the first and back). */
function trapTab(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'Tab') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('button:not([disabled])')];
  const [first, last] = [items[0], items.at(-1)];
  if (!first || !last) return;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}

/**
 * The dialog; it opens when mounted and answers exactly once.
 *
 * @example
 * {unfinished && <UnfinishedDialog output={o} message={m} onResume={…} onStartOver={…} onCancel={() => setUnfinished(null)} />}
 */
export function UnfinishedDialog({ output, message, onResume, onStartOver, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const resume = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    resume.current?.focus();
    return () => {
      d.close();
      opener?.focus(); // back where the person was (Convert), also when React removed the node first
    };
  }, []);
  const answer = (fn: () => void) => () => {
    if (answered.current) return;
    answered.current = true;
    fn();
  };
  return (
    <dialog
      ref={dialog}
      className="modal"
      aria-modal="true"
      aria-labelledby="unfinished-h"
      aria-describedby="unfinished-text"
      data-testid="unfinished-dialog"
      onCancel={(e) => {
        e.preventDefault(); // Esc: answered as Cancel, the dialog closes when it unmounts
        answer(onCancel)();
      }}
      onKeyDown={trapTab}
    >
      <h2 id="unfinished-h">This output folder holds an unfinished batch</h2>
      <div id="unfinished-text">
        <p className="path">{output}</p>
        <p>{message}</p>
        <p className="muted">Resume converts only the files that batch has not done yet. Start over begins a new batch over all the inputs; the outputs already there stay, and “If the output exists” decides what happens to them.</p>
      </div>
      <div className="row">
        <button type="button" className="primary" ref={resume} onClick={answer(onResume)}>
          Resume that batch
        </button>
        <button type="button" onClick={answer(onStartOver)}>
          Start over
        </button>
        <button type="button" onClick={answer(onCancel)}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
