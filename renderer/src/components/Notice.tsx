/** A dismissible message shown beside the action that raised it (inputs, convert, batch, compare). */

export type Scope = 'inputs' | 'convert' | 'batch' | 'compare';
export type Notices = Partial<Record<Scope, string>>;

/** The notice of `scope`, if any, with a Dismiss button. */
export function Notice({ scope, notices, onDismiss }: { scope: Scope; notices: Notices; onDismiss: (scope: Scope, text: null) => void }) {
  const text = notices[scope];
  if (!text) return null;
  return (
    <div className="banner" role="alert" data-testid={`notice-${scope}`}>
      <p>{text}</p>
      <button type="button" className="small" aria-label="Dismiss" onClick={() => onDismiss(scope, null)}>
        ✕
      </button>
    </div>
  );
}
