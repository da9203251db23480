#!/usr/bin/env bash
# What the workers' memory changes of issue 17 (session 5) buy, as load-independent figures:
# the engine's peak RSS and the worker threads' CPU seconds of the gray job (fit 1024, JPEG q80,
# 2 workers) on the 200-file corpus, with each change turned off by its switch and on, the
# variants alternated, ROUNDS rounds (default 5), medians. Times of the colour jobs against
# vipsthumbnail are in scripts/bench-all.sh.
#   PHOTOPOOL_LUMA_STRIP=off  progressive JPEGs decoded with their chroma (workers/luma-strip.ts)
#   PHOTOPOOL_HEAP_TRIM=off   no malloc_trim after progressive files (workers/heap-trim.ts)
# SET trim (session 6) compares the trim's threshold instead (PHOTOPOOL_HEAP_TRIM_ABOVE_MIB):
#   always (every progressive JPEG of >= 4 MP, session 5), default (above 180 MiB resident),
#   above200, never. Wall times are printed too: compare them on a quiet machine only.
# Usage: scripts/bench/workers-ab.sh [ROUNDS] [CORPUS] [WORKERS] [SET]   (SET: memory (default) or trim;
#   run after npm run build && npm run bundle)
set -euo pipefail
ROUNDS=${1:-5}
CORPUS=${2:-/tmp/perf/corpus/photos-jpeg}
WORKERS=${3:-2}
SET=${4:-memory}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ "$SET" = trim ]; then
  declare -A ENVS=([always]="PHOTOPOOL_HEAP_TRIM_ABOVE_MIB=1" [default]="" [above200]="PHOTOPOOL_HEAP_TRIM_ABOVE_MIB=200" [never]="PHOTOPOOL_HEAP_TRIM=off")
  VARIANTS="always default above200 never"
else
  declare -A ENVS=([before]="PHOTOPOOL_LUMA_STRIP=off PHOTOPOOL_HEAP_TRIM=off" [strip]="PHOTOPOOL_HEAP_TRIM=off" [strip+trim]="")
  VARIANTS="before strip strip+trim"
fi
for r in $(seq "$ROUNDS"); do
  for v in $VARIANTS; do
    rm -rf "$OUT/out"
    s=$(date +%s%N)
    env ${ENVS[$v]} PHOTOPOOL_TRACE_CPU=1 node "$ROOT/bin/photopool" convert "$CORPUS" -o "$OUT/out" --gray --resize 1024x1024 --format jpeg --quality 80 --workers "$WORKERS" --json 2>"$OUT/trace" |
      node -e 'let last; require("readline").createInterface({ input: process.stdin }).on("line", (l) => { const e = JSON.parse(l); if (e.type === "done") last = e; }).on("close", () => process.stdout.write(String(last.totals.peakRssBytes / 1e6)))' >"$OUT/rss"
    wall=$(( ($(date +%s%N) - s) / 1000000 ))
    cpu=$(sed -n 's/.*by thread since the engine started (s): nodex[0-9]* \([0-9.]*\).*/\1/p' "$OUT/trace")
    echo "$v $(cat "$OUT/rss") $cpu $wall" >>"$OUT/all"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $WORKERS workers, $ROUNDS rounds"
python3 - "$OUT/all" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    v, rss, cpu, wall = line.split()
    rows.setdefault(v, []).append((float(rss), float(cpu), float(wall) / 1000))
print(f"{'variant':<11} {'peak RSS MB median (min-max)':<30} {'worker threads CPU-s median (min-max)':<40} wall s median")
for v, xs in rows.items():
    r = [x[0] for x in xs]; c = [x[1] for x in xs]; w = [x[2] for x in xs]
    print(f"{v:<11} {statistics.median(r):.0f} ({min(r):.0f}-{max(r):.0f}){'':<16} {statistics.median(c):.2f} ({min(c):.2f}-{max(c):.2f}){'':<22} {statistics.median(w):.2f}")
PY
