#!/usr/bin/env bash
# bench-peers.sh - PhotoPool beside the peer tools on the same 200-file corpus, same job
# (grayscale, fit inside 1024x1024, never enlarge, JPEG q80), timed the same way, in
# interleaved rounds (every config once per round, so a slow spell of the machine hits all
# of them alike), and a markdown table of ratios. Needs ../shared/bench (peers.sh,
# measure.py, verify.py, corpus-from-photos.sh).
#
#   scripts/bench-peers.sh [-r ROUNDS] [--install] [--quick] [--colour|--all]   (writes .tmp/bench-peers/table.md)
#   -r ROUNDS  timed rounds after one warm-up round (default 5); the table shows medians
#   --install  let peers.sh apt/npm-install the peer tools that are missing
#   --quick    only the two fastest peers and the decode/encode floor
#   --colour   the colour web export instead: fit inside 1600x1600 (never enlarging), to JPEG
#              q80 and to WebP q75, 2 processes each: PhotoPool against vipsthumbnail (libvips'
#              own tool, xargs -P2 -n 20) and Pillow Pool(2) with draft + thumbnail
#   --all      the figures of issue 17 in one alternated run: the gray job at the defaults with 1
#              and 2 workers against OpenCV reduced-gray Pool(2) (and Pool(1), for its scaling), and both colour jobs against
#              vipsthumbnail and Pillow (scripts/bench-all.sh adds start-up, RSS and the UI)
#   SKIP_BUILD=1 in the environment: do not run npm run build first (bench-all.sh builds and bundles)
#   BENCH_PEERS="id ..." / BENCH_MINE="id ..." in the environment: only these configs of the job, e.g.
#              BENCH_PEERS="py-opencv-reduced-p2 py-opencv-reduced-p1" BENCH_MINE="photopool-w1 photopool-w2" scripts/bench-peers.sh --all
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
JOB=gray
while [ $# -gt 0 ]; do
  case "$1" in
    -r) ROUNDS=$2; shift 2 ;;
    --install) bash "$BENCH/peers.sh" --install -l >/dev/null; shift ;;
    --quick) QUICK=1; shift ;;
    --colour) JOB=colour; shift ;;
    --all) JOB=all; shift ;;
    *) echo "usage: $0 [-r ROUNDS] [--install] [--quick] [--colour|--all]" >&2; exit 2 ;;
  esac
done
CORPUS=${CORPUS:-/tmp/perf/corpus/photos-jpeg}
[ -d "$CORPUS" ] && [ "$(ls "$CORPUS" | wc -l)" -ge 200 ] || bash "$BENCH/corpus-from-photos.sh" "$CORPUS" 200
WORK=$ROOT/.tmp/bench-peers
rm -rf "$WORK"; mkdir -p "$WORK/runs"
PEERS="py-opencv-reduced-p2 py-pillow-p2 limit-djpeg-gray-shrink limit-cjpeg-gray1024"
[ "$QUICK" = 1 ] || PEERS="$PEERS py-opencv-p2 vips-pipe-j2 im-mogrify-X2-omp1 gm-mogrify-X2-omp1"
MINE="photopool-w1 photopool-w2 photopool-w2-linear"
if [ "$JOB" = colour ]; then
  PEERS="vipsthumbnail-jpeg-p2 pillow-jpeg-p2 vipsthumbnail-webp-p2 pillow-webp-p2"
  MINE="photopool-jpeg-w2 photopool-webp-w2"
elif [ "$JOB" = all ]; then
  # OpenCV at Pool(1) as well: the peer's own speed-up from 1 to 2 processes on this machine,
  # beside PhotoPool's --workers 2 over --workers 1
  PEERS="py-opencv-reduced-p2 py-opencv-reduced-p1 vipsthumbnail-jpeg-p2 pillow-jpeg-p2 vipsthumbnail-webp-p2 pillow-webp-p2"
  MINE="photopool-w1 photopool-w2 photopool-jpeg-w2 photopool-webp-w2"
fi
PEERS=${BENCH_PEERS:-$PEERS}
MINE=${BENCH_MINE:-$MINE}
[ "${SKIP_BUILD:-0}" = 1 ] || npm run -s build
# peers.sh prepares its inputs (the djpeg/cjpeg argument lists) on a normal run; --exec then
# runs one config with IN, WORK and SHM from the environment (only the gray job's limit-* rows need them).
[ "$JOB" != gray ] || bash "$BENCH/peers.sh" -n 1 -w 0 -o "$WORK/peers" -k '^limit-cjpeg-gray1024$' "$CORPUS" >"$WORK/prepare.log" 2>&1 || { tail -20 "$WORK/prepare.log"; exit 1; }
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
    photopool-jpeg-w2) cmd=(node "$ROOT/bin/photopool" convert "$CORPUS" -o "$out" --resize 1600x1600 --format jpeg --quality 80 --workers 2) ;;
    photopool-webp-w2) cmd=(node "$ROOT/bin/photopool" convert "$CORPUS" -o "$out" --resize 1600x1600 --format webp --quality 75 --workers 2) ;;
    # an absolute -o pattern: a relative one is taken relative to each input's folder (and would write beside the inputs)
    vipsthumbnail-jpeg-p2) cmd=(bash -c 'mkdir -p "$1" && find "$2" -maxdepth 1 -name "*.jpg" -print0 | xargs -0 -P2 -n 20 vipsthumbnail -s "1600x1600>" -o "$1/%s.jpg[Q=80,strip]"' _ "$out" "$CORPUS") ;;
    vipsthumbnail-webp-p2) cmd=(bash -c 'mkdir -p "$1" && find "$2" -maxdepth 1 -name "*.jpg" -print0 | xargs -0 -P2 -n 20 vipsthumbnail -s "1600x1600>" -o "$1/%s.webp[Q=75,strip]"' _ "$out" "$CORPUS") ;;
    py-opencv-reduced-p1) cmd=("$PYTHON" "$BENCH/py-peers.py" opencv-reduced "$CORPUS" "$out" --procs 1) ;;
    pillow-jpeg-p2) cmd=("$PYTHON" "$ROOT/scripts/bench/pillow-colour.py" jpeg "$CORPUS" "$out") ;;
    pillow-webp-p2) cmd=("$PYTHON" "$ROOT/scripts/bench/pillow-colour.py" webp "$CORPUS" "$out") ;;
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
for id in $PEERS $MINE; do
  rm -f "$WORK/out-$id/.photopool-journal.ndjson"   # the batch journal is not an output
  case $id in
    *webp*) node "$ROOT/scripts/bench/verify-colour.mjs" "$CORPUS" "$WORK/out-$id" webp 1600 >"$WORK/verify-$id.json" || { echo "verify failed for $id" >&2; exit 1; } ;;
    *-jpeg-*) node "$ROOT/scripts/bench/verify-colour.mjs" "$CORPUS" "$WORK/out-$id" jpg 1600 >"$WORK/verify-$id.json" || { echo "verify failed for $id" >&2; exit 1; } ;;
    photopool-*) "$PYTHON" "$BENCH/verify.py" "$CORPUS" "$WORK/out-$id" >"$WORK/verify-$id.json" || { echo "verify failed for $id" >&2; cat "$WORK/verify-$id.json" >&2; exit 1; } ;;
  esac
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
job = lambda i: 'webp' if 'webp' in i else 'jpeg' if '-jpeg-' in i else 'gray'
# each row against the fastest peer of its own job (gray, colour JPEG, colour WebP)
fastest = {j: min((r for r in peers if job(r['id']) == j), key=lambda r: r['wall'], default=None) for j in ('gray', 'jpeg', 'webp')}
# colour job: each format against the faster peer of the same format
for fmt in ('jpeg', 'webp'):
    mine = next((r for r in rows if r['id'] == f'photopool-{fmt}-w2'), None)
    same = [r for r in peers if f'-{fmt}-' in r['id']]
    if mine and same:
        best = min(same, key=lambda r: r['wall'])
        print(f"colour {fmt}: PhotoPool {mine['wall']:.2f} s, {mine['wall'] / best['wall']:.2f}x the faster peer ({best['id']} {best['wall']:.2f} s)")
refs = ', '.join(f"{j}: {f['id']}" for j, f in fastest.items() if f)
out = [f"| system | quiet runs | wall s, median (min-max) | CPU % | peak RSS, process tree, MB | ratio to the fastest peer of its job ({refs}) |", '|---|---|---|---|---|---|']
for r in sorted(rows, key=lambda r: (job(r['id']), r['wall'])):
    ref = fastest[job(r['id'])]
    ratio = '%.2fx' % (r['wall'] / ref['wall']) if ref else '-'
    out.append(f"| {r['id']} | {r['n']} | {r['wall']:.2f} ({r['lo']:.2f}-{r['hi']:.2f}) | {r['cpu']:.0f} | {r['rss']:.0f} | {ratio} |")
w1 = next((r for r in rows if r['id'] == 'photopool-w1'), None)
w2 = next((r for r in rows if r['id'] == 'photopool-w2'), None)
if w1 and w2:
    out.append(f"\nPhotoPool speed-up 1 -> 2 workers, end to end: {w1['wall'] / w2['wall']:.2f}x")
open(os.path.join(work, 'table.md'), 'w').write('\n'.join(out) + '\n')
print('\n'.join(out))
PY
