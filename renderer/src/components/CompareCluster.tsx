/**
 * Compare: "this machine only" against "this machine + the cluster". When ticked, every cell
 * also runs through the Cluster setting's NATS broker (the same local pool size, plus the
 * remote `photopool worker`s), as a row named `<model> + cluster`.
 */
export function CompareCluster({ checked, disabled, onChange }: { checked: boolean; disabled: boolean; onChange: (on: boolean) => void }) {
  return (
    <div className="field check">
      <input id="cmp-cluster" type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} aria-describedby="cmp-cluster-says" />
      <label htmlFor="cmp-cluster">Also with the cluster</label>{' '}
      <span id="cmp-cluster-says" className="muted">
        each cell again through the Cluster setting&apos;s broker: this machine + remote workers (set it under Convert)
      </span>
    </div>
  );
}
