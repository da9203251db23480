#!/usr/bin/env bash
# bench-peers.sh - PhotoPool beside the peer tools on the same 200-file corpus, same job
# (grayscale, fit inside 1024x1024, never enlarge, JPEG q80), timed the same way, in
# interleaved rounds (every config once per round, so a slow spell of the machine hits all
# of them alike), and a markdown table of ratios. Needs ../shared/bench (peers.sh,
# measure.py, verify.py, corpus-from-photos.sh).
#
#   scripts/bench-peers.sh [-r ROUNDS] [--install] [--quick]   (writes .tmp/bench-peers/table.md)
#   -r ROUNDS  timed rounds after one warm-up round (default 5); the table shows medians
#   --install  let peers.sh apt/npm-install the peer tools that are missing
#   --quick    only the two fastest peers and the decode/encode floor
#
# A run during which other processes used more than 15% of a core is "disturbed" (measure.py)
# and left out of the medians, unless every run of that config was disturbed.
set -euo pipefail
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's: it has python3-pil and python3-opencv
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
ROUNDS=5
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    -r) ROUNDS=$2; shift 2 ;;
    --install) bash "$BENCH/peers.sh" --install -l >/dev/null; shift ;;
    --quick) QUICK=1; shift ;;
    *) echo "usage: $0 [-r ROUNDS] [--install] [--quick]" >&2; exit 2 ;;
  esac
done
CORPUS=/tmp/perf/corpus/photos-jpeg
[ -d "$CORPUS" ] && [ "$(ls "$CORPUS" | wc -l)" -ge 200 ] || bash "$BENCH/corpus-from-photos.sh" "$CORPUS" 200
WORK=$ROOT/.tmp/bench-peers
rm -rf "$WORK"; mkdir -p "$WORK/runs"
PEERS="py-opencv-reduced-p2 py-pillow-p2 limit-djpeg-gray-shrink limit-cjpeg-gray1024"
[ "$QUICK" = 1 ] || PEERS="$PEERS py-opencv-p2 vips-pipe-j2 im-mogrify-X2-omp1 gm-mogrify-X2-omp1"
MINE="photopool-w1 photopool-w2 photopool-w2-linear"
npm run -s build
# peers.sh prepares its inputs (the djpeg/cjpeg argument lists) on a normal run; --exec then
# runs one config with IN, WORK and SHM from the environment.
bash "$BENCH/peers.sh" -n 1 -w 0 -o "$WORK/peers" -k '^limit-cjpeg-gray1024$' "$CORPUS" >"$WORK/prepare.log" 2>&1 || { tail -20 "$WORK/prepare.log"; exit 1; }
export IN=$CORPUS WORK_PEERS=$WORK/peers SHM=/dev/shm/bench-peers.$$ NODE_PROTO_DIR=${NODE_PROTO_DIR:-/tmp/perf/node-proto}
mkdir -p "$SHM"
trap 'rm -rf "$SHM"' EXIT

one() {
  local id=$1 out=$WORK/out-$1
  local -a cmd
  case $id in
    photopool-w1) cmd=(node "$ROOT/bin/photopool" convert "$CORPUS" -o "$out" --gray --resize 1024x1024 --format jpeg --quality 80 --workers 1) ;;
    photopool-w2) cmd=(node "$ROOT/bin/photopool" convert "$CORPUS" -o "$out" --gray --resize 1024x1024 --format jpeg --quality 80 --workers 2) ;;
    photopool-w2-linear) cmd=(node "$ROOT/bin/photopool" convert "$CORPUS" -o "$out" --gray --resize 1024x1024 --format jpeg --quality 80 --workers 2 --kernel linear) ;;
    *) cmd=(env WORK="$WORK_PEERS" bash "$BENCH/peers.sh" --exec "$id") ;;
  esac
  OUT=$out "$PYTHON" "$BENCH/measure.py" --runs 1 --warmup 0 --max-reruns 0 --clean "$out" --label "$id" -- "${cmd[@]}" 2>>"$WORK/stderr.log" >>"$WORK/runs/$id.jsonl"
}

for id in $PEERS $MINE; do one "$id"; done          # warm-up round: page cache, imports
rm -f "$WORK"/runs/*.jsonl
for r in $(seq "$ROUNDS"); do
  for id in $PEERS $MINE; do one "$id"; done
  echo "round $r/$ROUNDS done $(date +%T)" >&2
done
for id in $MINE; do
  rm -f "$WORK/out-$id/.photopool-journal.ndjson"   # the batch journal is not an output
  "$PYTHON" "$BENCH/verify.py" "$CORPUS" "$WORK/out-$id" >"$WORK/verify-$id.json" || { echo "verify failed for $id" >&2; cat "$WORK/verify-$id.json" >&2; exit 1; }
done

"$PYTHON" - "$WORK" <<'PY'
import json, os, statistics as st, sys
work = sys.argv[1]
rows = []
for f in sorted(os.listdir(os.path.join(work, 'runs'))):
    runs = [json.loads(l)['runs'][-1] for l in open(os.path.join(work, 'runs', f)) if l.strip()]
    quiet = [r for r in runs if not r.get('disturbed')] or runs
    med = lambda k: st.median(r[k] for r in quiet)
    rows.append(dict(id=f[:-6], n=f'{len(quiet)}/{len(runs)}', wall=med('wall'), lo=min(r['wall'] for r in quiet), hi=max(r['wall'] for r in quiet), cpu=med('cpu_pct'), rss=max(r['rss_sum_mb'] for r in quiet)))
peers = [r for r in rows if not r['id'].startswith(('photopool', 'limit'))]
fastest = min(peers, key=lambda r: r['wall'])
out = [f"| system | quiet runs | wall s, median (min-max) | CPU % | peak RSS, process tree, MB | ratio to the fastest peer ({fastest['id']}) |", '|---|---|---|---|---|---|']
for r in sorted(rows, key=lambda r: r['wall']):
    out.append(f"| {r['id']} | {r['n']} | {r['wall']:.2f} ({r['lo']:.2f}-{r['hi']:.2f}) | {r['cpu']:.0f} | {r['rss']:.0f} | {r['wall'] / fastest['wall']:.2f}x |")
w1 = next((r for r in rows if r['id'] == 'photopool-w1'), None)
w2 = next((r for r in rows if r['id'] == 'photopool-w2'), None)
if w1 and w2:
    out.append(f"\nPhotoPool speed-up 1 -> 2 workers, end to end: {w1['wall'] / w2['wall']:.2f}x")
open(os.path.join(work, 'table.md'), 'w').write('\n'.join(out) + '\n')
print('\n'.join(out))
PY
