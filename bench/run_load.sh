#!/bin/sh
# run_load.sh: the load benchmark: generates an R-MAT edge list (scale 20,
# edge factor 16, both directions: ~31M lines, ~436 MB) into /tmp unless
# it is there, then times our parse+build+write (bench_load) and the C++
# peer (peer_csr) on it and prints the ratio ours/peer.
#
# Usage: bench/run_load.sh [SCALE] [EDGE_FACTOR]
# Env: BUILD (default /tmp/hgc-bench), CC, CXX.
# Builds with the compiler directly, so it needs no configured tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
scale=${1:-20}
ef=${2:-16}
build=${BUILD:-/tmp/hgc-bench}
cc=${CC:-cc}
cxx=${CXX:-c++}
file=/tmp/hgc-rmat-s${scale}-e${ef}.txt

mkdir -p "$build"
flags="-O2 -g -std=gnu11 -pthread -I$root/graphstore"
store="$root/graphstore/graph_file.c $root/graphstore/graph_build.c $root/graphstore/graph_build_write.c \
       $root/graphstore/edge_parse.c $root/graphstore/line_feed.c $root/graphstore/result_file.c"
$cc $flags -o "$build/gen_rmat" "$here/gen_rmat.c"
$cc $flags -o "$build/bench_load" "$here/bench_load.c" $store -lm
$cxx -O2 -g -std=c++17 -o "$build/peer_csr" "$here/peer_csr.cpp"

if [ ! -s "$file" ]; then
    echo "generating $file ..."
    "$build/gen_rmat" "$scale" "$ef" --seed 1 -o "$file.part"
    mv "$file.part" "$file"
fi
ls -l "$file"

ours=$("$build/bench_load" "$file" "/tmp/hgc-bench-s${scale}.graph")
echo "$ours" | grep -v '^TOTAL'
peer=$("$build/peer_csr" "$file")
echo "$peer" | grep -v '^TOTAL'
rm -f "/tmp/hgc-bench-s${scale}.graph"

t_ours=$(echo "$ours" | sed -n 's/^TOTAL //p')
t_peer=$(echo "$peer" | sed -n 's/^TOTAL //p')
awk -v o="$t_ours" -v p="$t_peer" \
    'BEGIN { printf "ratio ours/peer: %.2f (ours %.2f s, peer %.2f s)\n", o / p, o, p }'
