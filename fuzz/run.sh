#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, coverage in the
# libraries they test) into build-fuzz/ and runs each one for FUZZ_SECONDS
# (default 60) on a copy of its seed corpus, FUZZ_JOBS at a time (default:
# one per core).
# Exits non-zero if any target finds a crash, a leak or a timeout; prints
# one line per target. See docs/fuzzing.md.
#
#   fuzz/run.sh                     every target
#   fuzz/run.sh fuzz_routes ...     only these
#   FUZZ_SECONDS=600 fuzz/run.sh    longer
#
# Settings (environment): FUZZ_SECONDS (60), FUZZ_JOBS (nproc), FUZZ_BUILD_DIR (build-fuzz),
# FUZZ_TIMEOUT (10: seconds one input may take), FUZZ_RSS_MB (2048),
# CC (clang).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
cc=${CC:-clang}
example=$PWD/tests/data/graphalytics/example-directed.e

# Target and its -max_len: edge lists are repeated up to 32 times by the
# target (so 4 KiB reaches the 64 KiB line limit); store files up to a
# few hundred vertices; request bodies; paths past the 512-byte variable;
# delta logs of a few dozen records; multipart bodies of a few parts.
declare -A max_len=(
  [fuzz_edge_parse]=4096
  [fuzz_graph_file]=16384
  [fuzz_json_pb]=4096
  [fuzz_routes]=1024
  [fuzz_jsonl]=4096
  [fuzz_graphalytics]=4096
  [fuzz_delta_log]=4096
  [fuzz_multipart]=4096
)
all=(fuzz_edge_parse fuzz_graph_file fuzz_json_pb fuzz_routes fuzz_jsonl fuzz_graphalytics
  fuzz_delta_log fuzz_multipart)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [ -n "${max_len[$t]:-}" ] || { echo "fuzz: unknown target '$t' (${all[*]})" >&2; exit 2; }
done

if ! command -v "$cc" >/dev/null; then
  echo "fuzz: $cc not found (Debian: apt-get install clang)" >&2
  exit 2
fi
rt="$("$cc" --print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-$(uname -m).a"
if [ ! -f "$rt" ]; then
  echo "fuzz: libFuzzer runtime $rt missing (Debian 12: apt-get install libclang-rt-14-dev)" >&2
  exit 2
fi

# HGC_SANITIZE puts -fsanitize=address,undefined (no recovery) on every
# compile and link; fuzzer-no-link adds the coverage the fuzzers steer by.
# -Wno-unknown-warning-option: the warnings target has gcc-only flags.
# -DHGC_WERROR=ON: the targets and the libraries they fuzz stay free of
# warnings under clang too (-Wmissing-prototypes and the rest).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DHGC_FUZZ=ON -DHGC_TESTS=OFF -DHGC_SANITIZE=ON -DHGC_WERROR=ON \
  "-DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link -Wno-unknown-warning-option" >/dev/null
cmake --build "$build" -j"$(nproc)" --target fuzz_all >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# One target: its corpus, the run, one result line in $work/result (and
# the log's tail in $work/tail when it failed).
run_target() {
  local t=$1
  local work="$build/fuzz-run/$t"
  local corpus="$work/corpus" artifacts="$work/artifacts" log="$work/log"
  rm -rf "$work"
  mkdir -p "$corpus" "$artifacts"
  cp -R "fuzz/corpus/$t/." "$corpus/"
  if [ "$t" = fuzz_graph_file ] || [ "$t" = fuzz_edge_parse ]; then
    # Fresh snapshots in the current file format, beside the committed ones.
    mkdir -p "$work/gen-graph" "$work/gen-edge"
    local args=("$work/gen-graph" "$work/gen-edge") src f
    [ -f "$example" ] && args+=("$example")
    "$build/fuzz/fuzz_make_seeds" "${args[@]}"
    if [ "$t" = fuzz_graph_file ]; then src="$work/gen-graph"; else src="$work/gen-edge"; fi
    for f in "$src"/*; do cp "$f" "$corpus/gen-$(basename "$f")"; done
    rm -rf "$work/gen-graph" "$work/gen-edge"
  fi

  local rc=0
  "$build/fuzz/$t" "$corpus" -max_total_time="$seconds" -max_len="${max_len[$t]}" \
    -timeout="$timeout" -rss_limit_mb="$rss_mb" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || rc=$?

  local execs units result kind crash
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(find "$corpus" -type f | wc -l)
  if [ "$rc" -eq 0 ]; then
    result=ok
  else
    kind=$(grep -m1 -E '==ERROR: |runtime error: |^fuzz_[a-z_]+: |ALARM: |out-of-memory' "$log" \
      | sed 's/^==[0-9]*==//' | cut -c1-120 || true)
    crash=$(find "$artifacts" -type f | head -1)
    result="FAILED (exit $rc${kind:+: $kind}${crash:+; input $crash})"
    { echo "---- $log (tail); reproduce: $build/fuzz/$t ${crash:-<input>}"
      tail -n 40 "$log"; } > "$work/tail"
  fi
  printf '%-18s executions %-10s corpus %-6s %s\n' "$t" "${execs:-?}" "$units" "$result" \
    > "$work/result"
}

# FUZZ_JOBS targets at a time (default: one per core).
jobs=${FUZZ_JOBS:-$(nproc)}
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$t" &
  running=$((running + 1))
done
wait || true

failed=0
for t in "${targets[@]}"; do
  work="$build/fuzz-run/$t"
  if [ -f "$work/result" ]; then cat "$work/result"; else echo "$t: no result"; failed=1; fi
  if [ -f "$work/tail" ]; then failed=1; cat "$work/tail" >&2; fi
done
exit "$failed"
