#!/usr/bin/env bash
# The gRPC transport's figures (issue 11) for one hgc-server build:
#   1. Health/Check, GetJob, ListJobs (limit 100) at 16 and 64 callers
#      (calls kept in flight by bench_rpc's two client threads): calls/s,
#      p50, p99, the server's CPU per call and the client's, each row
#      beside the same load on peer_grpc (a bare C-core server, one
#      completion-queue thread, empty replies) in the same run, and the
#      ratio hgc / peer per row;
#   2. 10,000 open WatchJob streams (8 connections): how many got their
#      first message, the server's RSS and threads, and bench_rpc's
#      figures (GetJob p99) while they are open.
# Tasks are held "running" by a stand-in worker, so no computation runs.
# Run it once per build to compare (same bench_rpc, same machine):
#   bench/run_rpc.sh SERVER_BIN_DIR [seconds=5] [streams=10000]
# bench_rpc and peer_grpc come from $BUILD (default build-bench, made here).
# streams=0 skips part 2.
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=$(cd "$1" && pwd)
seconds=${2:-5}
streams=${3:-10000}
build=${BUILD:-build-bench}
# An existing tree is used as configured (it needs -DHGC_BENCH=ON).
[ -f "$build/CMakeCache.txt" ] ||
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target bench_rpc peer_grpc >/dev/null
bench=$build/bench/bench_rpc

data=$(mktemp -d /tmp/hgc-rpc-bench.XXXXXX)
printf '#!/bin/sh\nwhile kill -0 $PPID 2>/dev/null; do sleep 0.2; done\n' > "$data/worker.sh"
chmod +x "$data/worker.sh"
"$bindir/hgc-server" --listen 127.0.0.1:0 --data-dir "$data/d" --worker "$data/worker.sh" \
  --max-jobs 2 > "$data/out" 2> "$data/err" &
server=$!
"$build/bench/peer_grpc" 127.0.0.1:0 > "$data/peer.out" &
peer=$!
client=
trap 'kill $client $server $peer 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q '^listening on' "$data/out" && break; sleep 0.1; done
for _ in $(seq 1 100); do grep -q '^listening on' "$data/peer.out" && break; sleep 0.1; done
addr=$(sed -n 's/^listening on //p' "$data/out")
peer_addr=$(sed -n 's/^listening on //p' "$data/peer.out")
hgc() { "$bindir/hgc" --server "$addr" "$@"; }
printf '1 2\n2 3\n3 1\n' > "$data/g.txt"
hgc graph load g "$data/g.txt" > /dev/null
for _ in $(seq 1 100); do hgc job submit g page-rank > /dev/null; done

status() { awk '/^(Threads|VmRSS)/ {printf "%s %s%s  ", $1, $2, $3}' "/proc/$server/status"; echo; }
echo "== $bindir, $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server at rest: $(status)"
for callers in 16 64; do
  "$bench" "$addr" g 1 "$callers" "$seconds" "$server" "$peer_addr" "$peer"
done

[ "$streams" -gt 0 ] || exit 0
echo "== $streams WatchJob streams open"
/usr/bin/python3 - "$addr" "$streams" > "$data/client.out" 2>&1 <<'PY' &
import asyncio, sys
sys.path.insert(0, "tests/integration")
from harness import grpc, jobs_pb2, jobs_pb2_grpc
addr, n = sys.argv[1], int(sys.argv[2])
async def main():
    opts = [("grpc.use_local_subchannel_pool", 1)]
    chans = [grpc.aio.insecure_channel(addr, options=opts) for _ in range(8)]
    calls = [jobs_pb2_grpc.JobServiceStub(chans[i % 8]).WatchJob(
        jobs_pb2.WatchJobRequest(graph="g", task_id=1)) for i in range(n)]
    got = 0
    async def first(c):
        nonlocal got
        await c.read()
        got += 1
    try:
        await asyncio.wait_for(asyncio.gather(*(first(c) for c in calls)), 60)
    except asyncio.TimeoutError:
        pass
    print("first messages: %d of %d" % (got, n), flush=True)
    await asyncio.sleep(3600)
asyncio.run(main())
PY
client=$!
for _ in $(seq 1 700); do grep -q '^first messages' "$data/client.out" && break; sleep 0.1; done
cat "$data/client.out"
echo "server with the streams open: $(status)"
"$bench" "$addr" g 1 16 "$seconds" "$server"
