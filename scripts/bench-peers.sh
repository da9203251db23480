#!/usr/bin/env bash
# bench-peers.sh - PhotoPool beside the peer tools on the same 200-file corpus, same job
# (grayscale, fit inside 1024x1024, never enlarge, JPEG q80), timed the same way in one run,
# and a markdown table of ratios. Needs ../shared/bench (peers.sh, measure.py, verify.py).
#
#   scripts/bench-peers.sh [-n RUNS] [--install] [--reuse-peers]   (writes .tmp/bench-peers/table.md)
#   --reuse-peers: keep the peers' results of the previous run, time PhotoPool again
#
# Peers timed: the fastest ones and the classic ones (see ../shared/bench/README.md).
set -euo pipefail
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's: it has python3-pil for verify.py
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
RUNS=3
INSTALL=()
REUSE=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS=$2; shift 2 ;;
    --install) INSTALL=(--install); shift ;;
    --reuse-peers) REUSE=1; shift ;;
    *) echo "usage: $0 [-n RUNS] [--install] [--reuse-peers]" >&2; exit 2 ;;
  esac
done
CORPUS=/tmp/perf/corpus/photos-jpeg
[ -d "$CORPUS" ] && [ "$(ls "$CORPUS" | wc -l)" -ge 200 ] || bash "$BENCH/corpus-from-photos.sh" "$CORPUS" 200
WORK=$ROOT/.tmp/bench-peers
mkdir -p "$WORK"
PEERS='^(py-opencv-reduced-p2|py-pillow-p2|py-opencv-p2|vips-pipe-j2|im-mogrify-X2-omp1|gm-mogrify-X2-omp1|limit-djpeg-full|limit-djpeg-gray-shrink|limit-cjpeg-gray1024)$'
npm run -s build
if [ "$REUSE" = 0 ] || [ ! -s "$WORK/peers/results.jsonl" ]; then
  bash "$BENCH/peers.sh" "${INSTALL[@]}" -n "$RUNS" -w 1 -o "$WORK/peers" -k "$PEERS" "$CORPUS" >"$WORK/peers.log" 2>&1 || { tail -20 "$WORK/peers.log"; exit 1; }
fi

# PhotoPool, timed from outside exactly like the peers (whole process tree, fresh output dir).
: >"$WORK/photopool.jsonl"
for w in 1 2; do
  OUT="$WORK/out-w$w"
  "$PYTHON" "$BENCH/measure.py" --runs "$RUNS" --warmup 1 --clean "$OUT" --label "photopool-w$w" -- \
    node "$ROOT/bin/photopool" convert "$CORPUS" -o "$OUT" --gray --resize 1024x1024 --format jpeg --quality 80 --workers "$w" >>"$WORK/photopool.jsonl"
  rm -f "$OUT/.photopool-journal.ndjson"   # the batch journal is not an output
  "$PYTHON" "$BENCH/verify.py" "$CORPUS" "$OUT" >"$WORK/verify-w$w.json" || { echo "verify failed for photopool w$w" >&2; cat "$WORK/verify-w$w.json" >&2; exit 1; }
done

"$PYTHON" - "$WORK" <<'PY'
import json, sys, os
work = sys.argv[1]
rows = [json.loads(l) for l in open(os.path.join(work, 'peers', 'results.jsonl')) if l.strip()]
rows = [dict(r.get('measure', {}), label=r['id']) if 'measure' in r else r for r in rows]
rows += [json.loads(l) for l in open(os.path.join(work, 'photopool.jsonl')) if l.strip()]
def med(r, k):
    v = r.get(k)
    return v.get('median') if isinstance(v, dict) else v
label = lambda r: r.get('label') or r.get('id')
peers = [r for r in rows if not label(r).startswith(('photopool', 'limit'))]
fastest = min(peers, key=lambda r: med(r, 'wall'))
out = ['| system | wall s (median) | CPU %% | peak RSS, process tree, MB | ratio to the fastest peer (%s) |' % label(fastest), '|---|---|---|---|---|']
for r in sorted(rows, key=lambda r: med(r, 'wall')):
    out.append('| %s | %.2f | %.0f | %.0f | %.2f |' % (label(r), med(r, 'wall'), med(r, 'cpu_pct') or 0, med(r, 'rss_sum_mb') or 0, med(r, 'wall') / med(fastest, 'wall')))
open(os.path.join(work, 'table.md'), 'w').write('\n'.join(out) + '\n')
print('\n'.join(out))
PY
