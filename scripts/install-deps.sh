#!/usr/bin/env bash
# Installs, from Debian 12's packages, everything hgc needs to build, run
# and test. Safe to run again. Needs root (or sudo).
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs=(
  build-essential cmake pkg-config clang libclang-rt-14-dev clang-format git
  libgrpc-dev protobuf-compiler protobuf-compiler-grpc grpc-proto
  libprotobuf-c-dev protobuf-c-compiler
  libsqlite3-dev sqlite3 libjansson-dev libmicrohttpd-dev
  golang-github-gogo-googleapis-dev
  libcriterion-dev
  python3 python3-grpcio python3-protobuf python3-networkx python3-numpy python3-scipy
  curl procps wrk gdb
  libigraph-dev
)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
