#!/usr/bin/env bash
# The graph store's figures, end to end through the real programs:
#   1. bulk load of the scale-20 R-MAT edge list WITH a weight per edge
#      (~31M edges), via the CLI (gRPC stream) and via REST (POST
#      /graphs/{g}/edges, streamed by curl): seconds to ready-for-jobs and
#      peak memory (VmHWM) of hgc-server, a fresh server each; beside the
#      C++ CSR peer on the unweighted file in the same run;
#   2. 1 million HugeGraph-JSON edges with three properties each through
#      POST /graphs/{g}/graph/edges/batch (batches of 1,000, one keep-alive
#      connection; bodies made before the clock starts): edges per second
#      acknowledged, and the time until the first read after the last
#      batch answers (it folds the delta log into a version); beside the
#      same edges as one JSON-lines upload (?format=jsonl) on the same
#      server, the bulk path, as the peer;
#   3. the snapshot's size on disk and the time hgc-worker takes to map it;
#   4. (only when asked: `update`) 1,000 single-vertex updates through
#      POST /graphs/{g}/graph/vertices (one keep-alive connection) of
#      vertices a ~2.2M-edge R-MAT graph (scale 17, edge factor 9) has,
#      each setting two properties: calls per second and latencies, the
#      first read after them, then 1,000 new vertices the same way as the
#      peer. With BASE=<commit> the same workload runs first against that
#      commit's programs (git archive into /tmp, built there, cached), in
#      the same run: the before and after of one change.
# Usage: bench/run_store.sh [bulk|json|update]   (default: bulk and json)
set -euo pipefail
cd "$(dirname "$0")/.."
only=${1:-}
build=${BUILD:-build-bench}
# What the programs below are built from (for the update section's label).
tree=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo +changes)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DHGC_BENCH=ON -DHGC_TESTS=OFF >/dev/null
cmake --build "$build" -j2 >/dev/null
bin=$build/bin
plain=/tmp/hgc-rmat-s20-e16.txt
weighted=/tmp/hgc-rmat-s20-e16-w.txt
if [ "$only" != update ]; then
  [ -s "$plain" ] || "$build/bench/gen_rmat" 20 16 -o "$plain"
  [ -s "$weighted" ] || "$build/bench/gen_rmat" 20 16 --weights -o "$weighted"
fi

tmp=$(mktemp -d /tmp/hgc-store-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
wait_listening() {
  for _ in $(seq 1 100); do
    grep -q '^listening on' "$1" && { sed -n 's/^listening on //p' "$1"; return; }
    sleep 0.1
  done
  exit 1
}
start() { # name [bin dir] -> sets server, grpc, rest_addr
  local b=${2:-$bin}
  mkdir -p "$tmp/$1"
  "$b/hgc-server" --listen 127.0.0.1:0 --data-dir "$tmp/$1/d" > "$tmp/$1/s.out" 2>/dev/null &
  server=$!; pids+=("$server")
  grpc=$(wait_listening "$tmp/$1/s.out")
  "$b/hgc-rest" --listen 127.0.0.1:0 --upstream "$grpc" > "$tmp/$1/r.out" 2>/dev/null &
  pids+=($!)
  rest_addr=$(wait_listening "$tmp/$1/r.out")
}
hwm() { awk '/^VmHWM/ {printf "%d MB", $2 / 1024}' "/proc/$1/status"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

if [ "$only" != json ] && [ "$only" != update ]; then
echo "== 1. weighted bulk load: $(du -m "$weighted" | cut -f1) MB, $(wc -l < "$weighted") edges"
peer=$("$build/bench/peer_csr" "$plain" 2>/dev/null | sed -n 's/^TOTAL //p')
echo "C++ CSR peer (unweighted file, same run): ${peer} s"
start cli
t0=$(date +%s.%N); "$bin/hgc" --server "$grpc" graph load w "$weighted" > /dev/null; t1=$(date +%s.%N)
echo "via CLI:  $(secs "$t0" "$t1") s to ready, hgc-server peak $(hwm "$server")"
start rest
t0=$(date +%s.%N)
curl -sf -X POST -H 'Content-Type: text/plain' -T "$weighted" "http://$rest_addr/graphs/w/edges" > /dev/null
t1=$(date +%s.%N)
echo "via REST: $(secs "$t0" "$t1") s to ready, hgc-server peak $(hwm "$server")"
snap=$(ls -d "$tmp/rest/d/graphs/w"/v*/ | tail -1)
echo "== 3. snapshot $(du -sm "$snap" | cut -f1) MB on disk ($snap)"
"$bin/hgc-worker" --snapshot "${snap}graph.hgcg" --algorithm page-rank \
  --opt bsp.max_super_step=1 --out "$tmp/out" 2> "$tmp/worker.err" > /dev/null || true
grep -o 'map [0-9.]* s' "$tmp/worker.err" | sed 's/^/hgc-worker: /'

fi

if [ "$only" != bulk ] && [ "$only" != update ]; then
start json
echo "== 2. 1,000,000 HugeGraph-JSON edges, 3 properties each, batches of 1,000"
/usr/bin/python3 - "$rest_addr" <<'PY'
import http.client, json, sys, time
host, port = sys.argv[1].rsplit(":", 1)
n, batch = 1000000, 1000
def edge(i):
    return {"label": "transfer", "outV": i % 200000, "inV": (i * 7919) % 200000,
            "outVLabel": "account", "inVLabel": "account",
            "properties": {"amount": i * 0.5, "time": 1700000000 + i, "currency": "EUR"}}
bodies = [json.dumps([edge(i) for i in range(b, b + batch)]).encode()
          for b in range(0, n, batch)]
lines = b"".join(json.dumps(edge(i)).encode() + b"\n"
                 for i in range(n))
c = http.client.HTTPConnection(host, int(port))
def call(method, path, body=None, ctype="application/json", want=(200, 201)):
    c.request(method, path, body, {"Content-Type": ctype} if body is not None else {})
    r = c.getresponse(); data = r.read()
    if r.status not in want:
        sys.exit("%s %s: HTTP %d %s" % (method, path, r.status, data[:200]))
    return data
call("POST", "/graphs/tx")
t0 = time.time()
for b in bodies:
    call("POST", "/graphs/tx/graph/edges/batch", b)
t1 = time.time()
call("GET", "/graphs/tx/graph/vertices/0")
t2 = time.time()
t3 = time.time()
call("POST", "/graphs/bulk/edges?format=jsonl", lines, "text/plain")
t4 = time.time()
batched, bulk = n / (t1 - t0), n / (t4 - t3)
print("batches: %d edges in %.1f s: %.0f edges/s acknowledged; first read after them %.2f s"
      % (n, t1 - t0, batched, t2 - t1))
print("peer, one JSON-lines upload of the same edges: %.1f s: %.0f edges/s" % (t4 - t3, bulk))
print("ratio batches/peer: %.2f" % (batched / bulk))
PY
echo "hgc-server peak $(hwm "$server")"
fi

if [ "$only" = update ]; then
rmat=/tmp/hgc-rmat-s17-e9.txt
[ -s "$rmat" ] || "$build/bench/gen_rmat" 17 9 -o "$rmat"
runs=()
if [ -n "${BASE:-}" ]; then
  base=$(git rev-parse --short "$BASE")
  src=/tmp/hgc-bench-base-$base
  if [ ! -x "$src/build/bin/hgc-server" ]; then
    rm -rf "$src" && mkdir -p "$src"
    git archive "$base" | tar -x -C "$src"
    cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DHGC_TESTS=OFF >/dev/null
    cmake --build "$src/build" -j2 --target hgc-server hgc-rest hgc-worker >/dev/null
  fi
  runs+=("before:$base:$src/build/bin")
fi
runs+=("after:$tree:$bin")
echo "== 4. 1,000 single-vertex updates, $(wc -l < "$rmat") edges (R-MAT scale 17, edge factor 9)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for run in "${runs[@]}"; do
  IFS=: read -r when commit dir <<< "$run"
  start "upd-$when" "$dir"
  curl -sf -X POST "http://$rest_addr/graphs/rmat" > /dev/null
  t0=$(date +%s.%N)
  curl -sf -X POST -H 'Content-Type: text/plain' -T "$rmat" \
       "http://$rest_addr/graphs/rmat/edges" > /dev/null
  curl -sf "http://$rest_addr/graphs/rmat/graph/vertices/0" > /dev/null || true
  t1=$(date +%s.%N)
  echo "-- $when ($commit): loaded in $(secs "$t0" "$t1") s"
  /usr/bin/python3 - "$rest_addr" "$rmat" <<'PY'
import http.client, json, random, statistics, sys, time
host, port = sys.argv[1].rsplit(":", 1)
ids = set()
with open(sys.argv[2]) as f:
    for line in f:
        a, b = line.split()[:2]
        ids.add(int(a)); ids.add(int(b))
ids = sorted(ids)
picked = random.Random(1).choices(ids, k=1000)  # repeats: a vertex updated again
c = http.client.HTTPConnection(host, int(port))
def call(method, path, body=None, want=(200, 201)):
    c.request(method, path, json.dumps(body) if body is not None else None,
              {"Content-Type": "application/json"} if body is not None else {})
    r = c.getresponse(); data = r.read()
    if r.status not in want:
        sys.exit("%s %s: HTTP %d %s" % (method, path, r.status, data[:200]))
    return json.loads(data)
def timed(bodies, check):
    lat = []
    t0 = time.time()
    for i, body in enumerate(bodies):
        a = time.time()
        v = call("POST", "/graphs/rmat/graph/vertices", body)
        lat.append(time.time() - a)
        check(i, body, v)
    t = time.time() - t0
    lat.sort()
    return len(bodies) / t, t, statistics.median(lat) * 1e3, lat[int(len(lat) * 0.99)] * 1e3
last = {}
def check_update(i, body, v):
    # the answer is the vertex with all it has: this call's and earlier ones'
    last.setdefault(body["id"], {}).update(body["properties"])
    if v["id"] != body["id"] or any(v["properties"].get(k) != x
                                    for k, x in last[body["id"]].items()):
        sys.exit("update %d: answer %r, want %r" % (i, v, last[body["id"]]))
updates = [{"id": x, "properties": ({"score": i, "name": "v%d" % i} if i % 2 else
                                    {"score": i, "rank": i * 0.5})}
           for i, x in enumerate(picked)]
rate, t, med, p99 = timed(updates, check_update)
print("updates of existing vertices: 1000 in %.1f s: %.1f calls/s (median %.2f ms, p99 %.2f ms)"
      % (t, rate, med, p99))
a = time.time()
v = call("GET", "/graphs/rmat/graph/vertices/%d" % picked[-1])
print("first read after them (folds the log): %.2f s" % (time.time() - a))
if any(v["properties"].get(k) != x for k, x in last[picked[-1]].items()):
    sys.exit("the read after the updates: %r, want %r" % (v, last[picked[-1]]))
fresh = [{"id": 10**9 + i, "properties": {"score": i}} for i in range(1000)]
rate, t, med, p99 = timed(fresh, lambda i, b, v: None)
print("peer, new vertices the same way: 1000 in %.1f s: %.1f calls/s (median %.2f ms)"
      % (t, rate, med))
PY
  echo "hgc-server peak $(hwm "$server")"
  kill "$server" "${pids[-1]}"; wait "$server" "${pids[-1]}" 2>/dev/null || true
done
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
fi
