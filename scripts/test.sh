#!/usr/bin/env bash
# The whole test suite, as README and CI run it:
#   1. install what the build and the tests need (Debian packages);
#   2. a normal build (warnings as errors) into build/ and every ctest test
#      (unit and integration);
#   3. an AddressSanitizer + UBSan build into build-asan/ and every test again
#      (leak checks on, known gRPC/abseil leaks suppressed).
# Step 0 checks the C sources against .clang-format. Exits non-zero if any
# step fails. Needs nothing beside the checkout (test data: tests/data).
# Runs as root or with sudo.
#   HGC_JOBS=N         parallel build/test jobs (default 2)
#   4. every libFuzzer target (fuzz/run.sh, clang) for FUZZ_SECONDS each
#      (default 60), one per core at a time.
#   HGC_SKIP_ASAN=1    skip step 3
#   HGC_SKIP_FUZZ=1    skip step 4
#   HGC_SKIP_DEPS=1    skip step 1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
JOBS=${HGC_JOBS:-2}

log() { printf '\n=== %s: %s\n' "$(date +%H:%M:%S)" "$*"; }

if [ -z "${HGC_SKIP_DEPS:-}" ]; then
  log "dependencies"
  bash scripts/install-deps.sh
fi


failed=()

log "format (clang-format, .clang-format)"
if ! git ls-files '*.c' '*.h' '*.cpp' | xargs clang-format --dry-run --Werror; then
  failed+=("format")
fi

run_suite() {  # build-dir label [extra cmake args...]
  local dir=$1 label=$2; shift 2
  log "configure $label ($dir)"
  cmake -S . -B "$dir" -DHGC_WERROR=ON "$@"
  log "build $label"
  cmake --build "$dir" -j"$JOBS"
  log "test $label"
  if ! (cd "$dir" && ctest --output-on-failure -j"$JOBS" --timeout 900); then
    failed+=("$label")
  fi
}

run_suite build release -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ -z "${HGC_SKIP_ASAN:-}" ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0
  export LSAN_OPTIONS=suppressions=$ROOT/tests/integration/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export HGC_TIME_SCALE=${HGC_TIME_SCALE:-4}
  run_suite build-asan sanitizers -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHGC_SANITIZE=ON
fi

if [ -z "${HGC_SKIP_FUZZ:-}" ]; then
  log "fuzz (${FUZZ_SECONDS:-60} s per target)"
  unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
  if ! FUZZ_SECONDS=${FUZZ_SECONDS:-60} bash fuzz/run.sh; then
    failed+=("fuzz")
  fi
fi

if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED: ${failed[*]}"
  exit 1
fi
log "all tests passed"
