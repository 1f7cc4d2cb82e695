#!/usr/bin/env bash
# Installs what hgc needs (Debian 12 packages), builds it, and starts
# hgc-server (gRPC) and hgc-rest (HugeGraph's REST endpoints) with a demo
# graph named "hugegraph" loaded. Ctrl-C (or SIGTERM) stops both cleanly.
#
# Settings (environment): HGC_DATA_DIR (./hgc-data), HGC_LISTEN
# (127.0.0.1:50051), HGC_REST_LISTEN (127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DHGC_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

data=${HGC_DATA_DIR:-./hgc-data}
grpc_addr=${HGC_LISTEN:-127.0.0.1:50051}
rest_addr=${HGC_REST_LISTEN:-127.0.0.1:8080}
bin=build/bin
mkdir -p "$data"
server_pid="" rest_pid=""

stop() {
  trap - EXIT INT TERM
  [ -n "$rest_pid" ] && kill -TERM "$rest_pid" 2>/dev/null || true
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  echo "hgc stopped"
}
trap stop EXIT INT TERM

# Waits for a program's "listening on" line in its output file, then
# prints the address.
await_listening() {
  local out=$1 pid=$2
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$out"; then sed -n 's/^listening on //p' "$out"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "hgc: $out: the program did not start; see its messages above" >&2
  return 1
}

"$bin/hgc-server" --listen "$grpc_addr" --data-dir "$data" > "$data/server.out" &
server_pid=$!
grpc_addr=$(await_listening "$data/server.out" "$server_pid")

# The demo graph: a small deterministic social-style graph (2,000 people,
# ~16,000 follows), loaded once; a restart keeps what is stored.
if ! "$bin/hgc" --server "$grpc_addr" graph show hugegraph >/dev/null 2>&1; then
  awk 'BEGIN {
    srand(42); n = 2000;
    for (v = 1; v <= n; v++) {
      k = 2 + int(rand() * 14);
      for (i = 0; i < k; i++) {
        # preferential: low ids are followed more often
        u = 1 + int(n * rand() * rand());
        if (u != v) print v, u;
      }
    }
  }' > "$data/demo-hugegraph.txt"
  "$bin/hgc" --server "$grpc_addr" graph load hugegraph "$data/demo-hugegraph.txt"
fi

if [ -x "$bin/hgc-rest" ]; then
  "$bin/hgc-rest" --listen "$rest_addr" --upstream "$grpc_addr" > "$data/rest.out" &
  rest_pid=$!
  rest_addr=$(await_listening "$data/rest.out" "$rest_pid")
fi

cat <<MSG

hgc is running (data in $data).
  gRPC: $grpc_addr    REST: ${rest_pid:+$rest_addr}
Try:
  $bin/hgc --server $grpc_addr job submit hugegraph page-rank --wait
  curl -s -XPOST http://$rest_addr/graphs/hugegraph/jobs/computerdis/page-rank \\
       -H 'Content-Type: application/json' -d '{"worker_instances": "2"}'
  curl -s 'http://$rest_addr/graphs/hugegraph/jobs/computerdis?limit=100'
Ctrl-C stops both.
MSG
wait
