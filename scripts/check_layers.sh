#!/usr/bin/env bash
# The layering rules of docs/architecture.md that the compiler can't see:
#   1. no graphstore/ file includes a compute/ header (the graph on disk
#      knows nothing of the algorithms);
#   2. hgc-server defines no symbol of the kernels or their runtime (it
#      links graphstore and compute/catalog only, so a crashing kernel
#      can't take the service down).
# Usage: check_layers.sh HGC_SERVER LIBHGC_KERNELS.a LIBHGC_RUNTIME.a
# Run by ctest (test "layers"). Exits 1 and names each breach.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
server=$1; shift
bad=0

compute_headers=$(find compute -name '*.h' -printf '%f\n' | sort -u)
while IFS= read -r line; do
  file=${line%%:*}
  inc=$(sed -E 's/.*#include "([^"]+)".*/\1/' <<<"${line#*:}")
  base=${inc##*/}
  if [[ $inc == compute/* ]] || grep -qxF "$base" <<<"$compute_headers"; then
    echo "check_layers: $file includes \"$inc\", a compute/ header" >&2
    bad=1
  fi
done < <(grep -H '#include "' graphstore/*.c graphstore/*.h || true)

server_syms=$(nm --defined-only "$server" | awk '{print $3}' | sort -u)
for lib in "$@"; do
  lib_syms=$(nm --defined-only "$lib" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TDRB]/ {print $3}' | sort -u)
  if [ -z "$lib_syms" ]; then
    echo "check_layers: $lib defines no symbols (wrong file?)" >&2
    bad=1
    continue
  fi
  both=$(comm -12 <(echo "$server_syms") <(echo "$lib_syms"))
  if [ -n "$both" ]; then
    echo "check_layers: $server links $(basename "$lib"):" $both >&2
    bad=1
  fi
done
if [ $bad -eq 0 ]; then
  echo "check_layers: graphstore/ includes no compute/ header; $(basename "$server") links no kernel"
fi
exit $bad
