#!/usr/bin/env bash
# The service's figures, end to end through the real programs:
#   1. `hgc graph load` of the scale-20 R-MAT edge list (2^20 vertices,
#      edge factor 16, both directions: ~31M edges), seconds to ready,
#      beside the in-process builder (bench_load) and the C++ peer on the
#      same file in the same run;
#   2. page-rank on it: ms per superstep with 1 and 2 threads (from the
#      worker's log) and the whole job, CreateJob to success;
#   3. unary GetJob / ListJobs latency at 16 callers (bench_rpc), with
#      Health/Check as the peer, 100 tasks stored.
# Usage: bench/run_service.sh [edge-list]  (generated into /tmp if absent)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
bin=$build/bin
file=${1:-/tmp/hgc-rmat-s20-e16.txt}
[ -s "$file" ] || "$build/bench/gen_rmat" 20 16 > "$file"

data=$(mktemp -d /tmp/hgc-bench.XXXXXX)
"$bin/hgc-server" --listen 127.0.0.1:0 --data-dir "$data" --max-jobs 1 > "$data/out" 2> "$data/err" &
server=$!
trap 'kill $server 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q '^listening on' "$data/out" && break; sleep 0.1; done
addr=$(sed -n 's/^listening on //p' "$data/out")
hgc() { "$bin/hgc" --server "$addr" "$@"; }

echo "== load: $(du -m "$file" | cut -f1) MB, $(wc -l < "$file") lines"
t0=$(date +%s.%N)
hgc graph load rmat "$file" | grep -E 'vertices|edges:'
t1=$(date +%s.%N)
load_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
peer=$("$build/bench/peer_csr" "$file" 2>/dev/null | sed -n "s/^TOTAL //p")
echo "hgc graph load (CLI -> gRPC stream -> snapshot): ${load_s} s"
[ -n "$peer" ] && echo "C++ iostreams CSR peer, same file, same run: ${peer} s   ratio $(awk -v a="$load_s" -v b="$peer" 'BEGIN {printf "%.2f", a / b}')"

for threads in 1 2; do
  id=$(hgc job submit rmat page-rank --workers $threads --opt bsp.max_super_step=20 \
         --opt pagerank.l1DiffThreshold=0)
  hgc job watch rmat "$id" > /dev/null || true
  hgc --json job show rmat "$id" > "$data/task.json"
  log="$data/logs/rmat/$id.log"
  per_step=$(grep -oE 'superstep [0-9]+/[0-9]+ .* ([0-9.]+) ms' "$log" | awk '{print $(NF-1)}' |
             sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  whole=$(/usr/bin/python3 -c "import json,sys; t=json.load(open('$data/task.json')); print((t['task_update']-t['task_create'])/1000)")
  echo "page-rank, $threads thread(s): median superstep ${per_step} ms; whole job (create -> success) ${whole} s"
done

echo "== unary latency, 16 callers"
for i in $(seq 1 98); do hgc job submit rmat page-rank --opt bsp.max_super_step=1 > /dev/null; done
"$build/bench/bench_rpc" "$addr" rmat 1 16 5
