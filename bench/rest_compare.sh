#!/usr/bin/env bash
# hgc-rest against gRPC (issue 11), and optionally a build before against
# one after, in one run: the same data, the same load generators, each
# build's hgc-server + hgc-rest started in turn.
#   - wrk, keep-alive: GET one task (/jobs/computerdis/1) and the list
#     (?limit=100, 100 finished tasks), at 16 and 64 connections:
#     requests/s, p50, p99, and the CPU of hgc-rest and of hgc-server per
#     request (/proc/<pid>/stat over the run);
#   - bench_rpc (of the AFTER build): GetJob and ListJobs(limit 100) on
#     the same hgc-server at the same number of calls in flight, printed
#     beside, with REST p50 / gRPC p50 of the same call.
# Usage: bench/rest_compare.sh BEFORE_BIN|- AFTER_BIN [seconds=5]
#   BIN: a build's bin/ (hgc-server, hgc-worker, hgc-rest); AFTER_BIN/../bench/bench_rpc.
#   BEFORE_BIN "-": the AFTER build only.
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

printf "%-7s %-18s %5s %9s %9s %9s %11s %11s %9s %8s\n" build call conns "req/s" "p50 ms" \
  "p99 ms" "rest us/req" "srv us/req" "grpc p50" "rest/grpc"
builds=(after)
[ "$before" != - ] && builds=(before after)
for which in "${builds[@]}"; do
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
    grpc_get=0 grpc_list=0
    if [ "$which" = after ] && [ -x "$rpc" ]; then
      "$rpc" "$grpc" hugegraph 1 "$conns" "$secs" "$server" > "$d/rpc.txt"
      # rows: NAME... hgc calls/s p50 p99 errors srv-us cli-us
      awk -v n="$conns" '$(NF-6) == "hgc" && /^(GetJob|ListJobs)/ {
          printf "%-7s %-18s %5d %9.0f %9.3f %9.3f %11s %11.1f\n", "grpc", $1, n, $(NF-5),
                 $(NF-4), $(NF-3), "-", $(NF-1)}' "$d/rpc.txt"
      grpc_get=$(awk '$1 == "GetJob" && $(NF-6) == "hgc" {print $(NF-4)}' "$d/rpc.txt")
      grpc_list=$(awk '$1 == "ListJobs" && $(NF-6) == "hgc" {print $(NF-4)}' "$d/rpc.txt")
    fi
    for call in get list; do
      url=$base/1
      g=$grpc_get
      [ $call = list ] && { url="$base?limit=100"; g=$grpc_list; }
      r0=$(cpu "$rest") s0=$(cpu "$server")
      wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" > "$d/wrk.txt"
      r1=$(cpu "$rest") s1=$(cpu "$server")
      awk -v w="$which" -v c="REST GET $call" -v n="$conns" -v a="$r0" -v b="$r1" -v sa="$s0" \
          -v sb="$s1" -v g="$g" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                         if (v ~ /s$/) return v * 1000; return v }
        /^Requests\/sec:/ {rps = $2} /requests in/ {reqs = $1} $1 == "50%" {p50 = ms($2)}
        $1 == "99%" {p99 = ms($2)} /Non-2xx/ {bad = $NF}
        END {printf "%-7s %-18s %5d %9.0f %9.3f %9.3f %11.1f %11.1f %9s %8s%s\n", w, c, n, rps,
             p50, p99, (reqs > 0 ? (b - a) * 1e6 / reqs : 0), (reqs > 0 ? (sb - sa) * 1e6 / reqs : 0),
             (g > 0 ? sprintf("%.3f", g) : "-"), (g > 0 ? sprintf("%.2fx", p50 / g) : "-"),
             (bad ? "  non-2xx: " bad : "")}' "$d/wrk.txt"
    done
  done
  kill "$rest" "$server"
  wait "$rest" "$server" 2>/dev/null || true
done
echo "(machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
