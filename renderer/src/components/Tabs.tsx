/** The view switcher (WAI-ARIA tabs: Tab reaches the selected tab, arrow keys move between tabs). */

interface Props<T extends string> {
  tabs: readonly { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
}

/** A tab list; panels use `id="panel-<id>"` and `aria-labelledby="tab-<id>"`. */
export function Tabs<T extends string>({ tabs, selected, onSelect }: Props<T>) {
  return (
    <div role="tablist" aria-label="Views" className="tabs">
      {tabs.map((t, i) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          aria-selected={selected === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={selected === t.id ? 0 : -1}
          onClick={() => onSelect(t.id)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
            onSelect(next.id);
            document.getElementById(`tab-${next.id}`)?.focus();
          }}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
