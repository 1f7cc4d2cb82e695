#!/usr/bin/env bash
# REST bridge throughput and latency, beside the same call over gRPC in the
# same run:
#   - wrk: GET /graphs/hugegraph/jobs/computerdis?limit=100 through hgc-rest,
#     16 connections (keep-alive), 20 s, 100 finished tasks stored;
#   - bench_rpc: ListJobs(limit=100) straight to hgc-server, 16 callers,
#     20 s (with Health/Check and GetJob, its own peers);
#   - CPU seconds per 1000 requests of hgc-rest and hgc-server during the
#     wrk run (from /proc), since the bridge, not the service, is expected
#     to be where REST throughput is won or lost.
# Usage: bench/rest_bench.sh [seconds=20] [connections=16]
# Needs wrk (Debian package wrk) and curl. Builds into $BUILD (build-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conns=${2:-16}
build=${BUILD:-build-bench}
command -v wrk >/dev/null || { echo "rest_bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" --target hgc-server hgc-worker hgc-rest bench_rpc -j2 >/dev/null
bin=$build/bin
edges=tests/data/graphalytics/example-directed.e

data=$(mktemp -d /tmp/hgc-rest-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

wait_listening() { # file -> HOST:PORT
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$1" && { sed -n 's/^listening on //p' "$1"; return; }
    sleep 0.1
  done
  echo "rest_bench: no 'listening on' in $1" >&2
  exit 1
}

"$bin/hgc-server" --listen 127.0.0.1:0 --data-dir "$data/d" --worker "$bin/hgc-worker" \
  > "$data/server.out" 2> "$data/server.err" &
server=$!
pids+=("$server")
grpc_addr=$(wait_listening "$data/server.out")
"$bin/hgc-rest" --listen 127.0.0.1:0 --upstream "$grpc_addr" > "$data/rest.out" 2> /dev/null &
rest=$!
pids+=("$rest")
rest_addr=$(wait_listening "$data/rest.out")
base=http://$rest_addr/graphs/hugegraph/jobs/computerdis

curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "@$edges" \
  "http://$rest_addr/graphs/hugegraph/edges" >/dev/null
for _ in $(seq 1 100); do
  curl -sf -X POST -H 'Content-Type: application/json' "$base/page-rank" \
    -d '{"worker_instances": "1", "internal_algorithm": "[pagerank]"}' >/dev/null
done
# Wait until every task is final, so the listed bytes don't change mid-run.
for _ in $(seq 1 600); do
  curl -sf "$base?limit=-1" | grep -qE '"task_status":"(new|scheduling|scheduled|queued|restoring|running|cancelling)"' || break
  sleep 0.1
done
bytes=$(curl -sf "$base?limit=100" | wc -c)
echo "== 100 tasks stored; the answer is $bytes bytes of JSON"

cpu() { # pid -> CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"
}
r0=$(cpu "$rest"); s0=$(cpu "$server")
wrk -t2 -c"$conns" -d"${secs}s" --latency "$base?limit=100" > "$data/wrk.txt"
r1=$(cpu "$rest"); s1=$(cpu "$server")
rps=$(awk '/^Requests\/sec:/ {print $2}' "$data/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$data/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$data/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$data/wrk.txt")
reqs=$(awk -v r="$rps" -v s="$secs" 'BEGIN {printf "%d", r * s}')

echo "== REST: wrk, $conns connections, ${secs} s, GET .../computerdis?limit=100 (201)"
printf "%-34s %10s %9s %9s\n" "call" "req/s" "p50" "p99"
printf "%-34s %10.0f %9s %9s\n" "hgc-rest GET list (HTTP/1.1)" "$rps" "$p50" "$p99"
if [ -n "$non2xx" ]; then echo "   non-2xx answers: $non2xx"; fi
awk -v a="$r0" -v b="$r1" -v c="$s0" -v d="$s1" -v n="$reqs" 'BEGIN {
  ratio = (d - c > 0) ? (b - a) / (d - c) : 0
  if (n > 0) printf "CPU per 1000 requests: hgc-rest %.3f s, hgc-server %.3f s (bridge/service %.2fx)\n",
    (b - a) * 1000 / n, (d - c) * 1000 / n, ratio }'

echo "== gRPC: bench_rpc, $conns callers, ${secs} s, same server, same data"
"$build/bench/bench_rpc" "$grpc_addr" hugegraph 1 "$conns" "$secs" "$server" | tee "$data/rpc.txt"
grpc_rps=$(awk '/^ListJobs/ {print $4}' "$data/rpc.txt")
awk -v a="$rps" -v b="$grpc_rps" 'BEGIN {
  if (b > 0) printf "== REST / gRPC throughput for the same list: %.2f\n", a / b }'
