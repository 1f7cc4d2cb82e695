#!/usr/bin/env bash
# hgc-rest before and after, in one run: the same data, the same load
# generator, each build's hgc-server + hgc-rest started in turn.
#   - wrk, keep-alive: GET one task (/jobs/computerdis/1) and the list
#     (?limit=100, 100 finished tasks), at 16 and 64 connections;
#   - bench_rpc (of the AFTER build): GetJob and ListJobs(limit 100) on
#     the same hgc-server at the same concurrency, for REST p50 / gRPC p50;
#   - CPU seconds of hgc-rest per 1000 requests during each wrk run.
# Usage: bench/rest_compare.sh BEFORE_BIN AFTER_BIN [seconds=5]
#   BIN: a build's bin/ (hgc-server, hgc-worker, hgc-rest); AFTER_BIN/../bench/bench_rpc.
# Needs wrk and curl. Don't loop it: one run, then read the figures.
set -euo pipefail
before=$1
after=$2
secs=${3:-5}
edges=${HGC_SHARED_DATA:-$(dirname "$0")/../../shared/data}/graphalytics/example-directed.e
rpc=$after/../bench/bench_rpc
command -v wrk >/dev/null || { echo "rest_compare: wrk is not installed" >&2; exit 2; }
data=$(mktemp -d /tmp/hgc-rest-compare.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

wait_listening() { # file -> HOST:PORT
  for _ in $(seq 1 200); do
    grep -q '^listening on' "$1" && { sed -n 's/^listening on //p' "$1"; return; }
    sleep 0.1
  done
  echo "rest_compare: no 'listening on' in $1" >&2
  exit 1
}
cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }

printf "%-7s %-26s %5s %10s %9s %9s %12s\n" build call conns "req/s" p50 p99 "rest cpu/1k"
for which in before after; do
  bin=$before
  [ "$which" = after ] && bin=$after
  d=$data/$which
  mkdir -p "$d"
  "$bin/hgc-server" --listen 127.0.0.1:0 --data-dir "$d/data" --worker "$bin/hgc-worker" \
    > "$d/server.out" 2> "$d/server.err" &
  server=$!
  pids+=("$server")
  grpc=$(wait_listening "$d/server.out")
  "$bin/hgc-rest" --listen 127.0.0.1:0 --upstream "$grpc" > "$d/rest.out" 2> /dev/null &
  rest=$!
  pids+=("$rest")
  addr=$(wait_listening "$d/rest.out")
  base=http://$addr/graphs/hugegraph/jobs/computerdis
  curl -sf -X POST -H 'Content-Type: text/plain' --data-binary "@$edges" \
    "http://$addr/graphs/hugegraph/edges" >/dev/null
  for _ in $(seq 1 100); do
    curl -sf -X POST -H 'Content-Type: application/json' "$base/page-rank" \
      -d '{"worker_instances": "1", "internal_algorithm": "[pagerank]"}' >/dev/null
  done
  for _ in $(seq 1 600); do
    curl -sf "$base?limit=-1" |
      grep -qE '"task_status":"(new|scheduling|scheduled|queued|restoring|running|cancelling)"' || break
    sleep 0.1
  done
  for conns in 16 64; do
    for call in get list; do
      url=$base/1
      [ $call = list ] && url="$base?limit=100"
      r0=$(cpu "$rest")
      wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" > "$d/wrk.txt"
      r1=$(cpu "$rest")
      awk -v w="$which" -v c="REST GET $call" -v n="$conns" -v a="$r0" -v b="$r1" -v s="$secs" '
        /^Requests\/sec:/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
        /Non-2xx/ {bad = $NF}
        END {printf "%-7s %-26s %5d %10.0f %9s %9s %11.3fs%s\n", w, c, n, rps, p50, p99,
             (rps > 0 ? (b - a) * 1000 / (rps * s) : 0), (bad ? "  non-2xx: " bad : "")}' "$d/wrk.txt"
    done
    if [ "$which" = after ] && [ -x "$rpc" ]; then
      "$rpc" "$grpc" hugegraph 1 "$conns" "$secs" |
        awk -v n="$conns" '/^(GetJob|ListJobs|Health)/ {
          printf "%-7s %-26s %5d %10.0f %7.3fms %7.3fms\n", "grpc", $1, n, $(NF-4), $(NF-3), $(NF-2)}'
    fi
  done
  kill "$rest" "$server"
  wait "$rest" "$server" 2>/dev/null || true
done
echo "(machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
