#!/usr/bin/env bash
# Memory of hgc-rest around a large edge-list upload: the bridge streams
# POST /graphs/{graph}/edges into GraphService.LoadEdges piece by piece, so
# its peak RSS should not grow with the body. Prints VmRSS/VmHWM of
# hgc-rest before and after, beside the body's size, and the seconds.
# Usage: bench/rest_upload.sh [edge-list]  (default: R-MAT scale 21,
#        edge factor 16, both directions, generated into /tmp: ~0.9 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" --target hgc-server hgc-worker hgc-rest gen_rmat -j2 >/dev/null
bin=$build/bin
file=${1:-/tmp/hgc-rmat-s21-e16.txt}
[ -s "$file" ] || "$build/bench/gen_rmat" 21 16 > "$file"

data=$(mktemp -d /tmp/hgc-upload.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$data"' EXIT
wait_listening() {
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$1" && { sed -n 's/^listening on //p' "$1"; return; }
    sleep 0.1
  done
  exit 1
}
"$bin/hgc-server" --listen 127.0.0.1:0 --data-dir "$data/d" > "$data/s.out" 2>/dev/null &
pids+=($!)
grpc=$(wait_listening "$data/s.out")
"$bin/hgc-rest" --listen 127.0.0.1:0 --upstream "$grpc" > "$data/r.out" 2>/dev/null &
rest=$!
pids+=("$rest")
addr=$(wait_listening "$data/r.out")
mem() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$1/status"; echo; }

echo "body: $(du -m "$file" | cut -f1) MB, $(wc -l < "$file") edges"
echo -n "hgc-rest before: "; mem "$rest"
t0=$(date +%s.%N)
curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "@$file" \
  "http://$addr/graphs/big/edges" -o "$data/answer.json"
t1=$(date +%s.%N)
echo -n "hgc-rest after:  "; mem "$rest"
echo "answer: $(cat "$data/answer.json")"
awk -v a="$t0" -v b="$t1" 'BEGIN {printf "upload to ready: %.1f s\n", b - a}'
