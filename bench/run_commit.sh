#!/usr/bin/env bash
# What durable commits cost (issue 8, item 2), in one run on one disk:
#   1. store commits per second at 1, 4 and 16 concurrent writers (each
#      commit one CreateJob's store write), for three settings:
#        none  - synchronous=NORMAL alone (before: a power cut may lose
#                acknowledged commits), the peer;
#        full  - SQLite's synchronous=FULL (one sync per commit, serialised);
#        group - what hgc-server does: synced before it answers, writers
#                that meet sharing one fdatasync;
#   2. end to end over gRPC at 1 and 8 callers: AddVertex (a small load:
#      the delta log's fdatasync, then the catalog's counts) and
#      CreateGraph, against this tree's hgc-server and, if BEFORE_SERVER
#      names one (e.g. a build of 279bdf9), against that server as the peer.
# Usage: BEFORE_SERVER=/path/hgc-server bench/run_commit.sh [DIR on the
#        disk to measure, default $TMPDIR or /tmp] [seconds per run, 3]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target bench_commit hgc-server hgc-worker >/dev/null
secs=${2:-3}
dir=$(mktemp -d "${1:-${TMPDIR:-/tmp}}/hgc-commit-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "== 1. store commits per second, $(df -T "$dir" | awk 'NR==2 {print $2 " on " $1}'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/bench_commit" "$dir" "$secs" 1,4,16
echo "== 2. end to end over gRPC, load $(cut -d' ' -f1-3 /proc/loadavg)"
servers=()
[ -n "${BEFORE_SERVER:-}" ] && servers+=("before=$BEFORE_SERVER")
servers+=("after=$PWD/$build/bin/hgc-server")
for n in 1 8; do
  HGC_WORKER_BIN=$PWD/$build/bin/hgc-worker /usr/bin/python3 bench/durable_adds.py "$dir" "$secs" "$n" "${servers[@]}"
done
