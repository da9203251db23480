#!/usr/bin/env bash
# The heap trim's threshold (workers/heap-trim.ts, PHOTOPOOL_HEAP_TRIM_ABOVE_MIB) as wall time
# and peak RSS: the gray job (fit 1024, JPEG q80) on the 200-file corpus, variants alternated,
# ROUNDS rounds (default 5), medians. Times: run it on a quiet machine.
#   always  trim after every progressive JPEG of >= 4 MP (session 5)
#   default only above the default threshold (180 MiB resident)
#   above200 / never
# Usage: scripts/bench/trim-ab.sh [ROUNDS] [WORKERS] [CORPUS]   (after npm run build && npm run bundle)
set -euo pipefail
ROUNDS=${1:-5}
WORKERS=${2:-2}
CORPUS=${3:-/tmp/perf/corpus/photos-jpeg}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
declare -A ENVS=([always]="PHOTOPOOL_HEAP_TRIM_ABOVE_MIB=1" [default]="" [above200]="PHOTOPOOL_HEAP_TRIM_ABOVE_MIB=200" [never]="PHOTOPOOL_HEAP_TRIM=off")
for r in $(seq "$ROUNDS"); do
  for v in always default above200 never; do
    rm -rf "$OUT/out"
    s=$(date +%s%N)
    rss=$(env ${ENVS[$v]} node "$ROOT/bin/photopool" convert "$CORPUS" -o "$OUT/out" --gray --resize 1024x1024 --format jpeg --quality 80 --workers "$WORKERS" --json |
      node -e 'let last; require("readline").createInterface({ input: process.stdin }).on("line", (l) => { const e = JSON.parse(l); if (e.type === "done") last = e; }).on("close", () => process.stdout.write(String(Math.round(last.totals.peakRssBytes / 1e6))))')
    echo "$v $(( ($(date +%s%N) - s) / 1000000 )) $rss" >>"$OUT/all"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $WORKERS workers, $ROUNDS rounds"
python3 - "$OUT/all" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    v, t, r = line.split()
    rows.setdefault(v, []).append((int(t), int(r)))
for v, x in rows.items():
    print(f"{v:9s} wall median {statistics.median(a for a, _ in x) / 1000:.2f} s, peak RSS max {max(b for _, b in x)} MB ({len(x)} runs)")
PY
