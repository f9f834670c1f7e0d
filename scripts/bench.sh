#!/bin/sh
# Builds and runs tlsw_bench (bench/): tlswrap, raw wolfSSL and OpenSSL 3
# through the same in-memory loops, one table with a column per library and
# the ratios; then the tools, tlsw-server and tlsw-client against openssl
# s_server and s_client on loopback (bench/cli_bench.py); then the
# machine's AEAD ceiling from `openssl speed`.
#
#   scripts/bench.sh [--quick] [--both] [-- tlsw_bench options]
#
#   --quick  3 short repetitions instead of 9 (under 2 minutes once built)
#   --both   build and run on both wolfSSL builds, TLSW_WOLFSSL=source (the
#            pinned 5.7.2, host profile) and system (Debian's 5.5.4): the
#            before/after figures, one table each
#   BUILD_DIR=dir  use that configured build tree (it must have
#            TLSW_BUILD_BENCH=ON) instead of build/bench-<wolfssl>; not with
#            --both
#   TLSW_WOLFSSL_CACHE_DIR=dir  passed to CMake: where the source build
#            keeps wolfSSL's source and builds (cmake/TlswWolfSSL.cmake);
#            default build/_wolfssl, the presets' own
#
# Figures are thread CPU time, so a busy machine slows the run but barely
# moves them; docs/performance.md explains each row.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
quick=""
both=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=--quick ;;
    --both) both=1 ;;
    --) shift; break ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$both" = 1 ] && [ -n "${BUILD_DIR:-}" ]; then
  echo "bench.sh: BUILD_DIR names one build; --both makes its own two" >&2
  exit 2
fi

sh "$here/scripts/setup.sh" >&2

# One build tree, configured if needed; prints its directory.
build() {
  mode=$1
  if [ -n "${BUILD_DIR:-}" ]; then
    dir=$BUILD_DIR
    if ! grep -q '^TLSW_BUILD_BENCH:BOOL=ON' "$dir/CMakeCache.txt" 2>/dev/null; then
      echo "bench.sh: BUILD_DIR=$dir is not a build configured with -DTLSW_BUILD_BENCH=ON" >&2
      exit 2
    fi
  else
    dir=$here/build/bench-$mode
    set -- -DCMAKE_BUILD_TYPE=Release -DTLSW_WOLFSSL="$mode" \
      -DTLSW_BUILD_BENCH=ON -DTLSW_BUILD_TESTS=OFF -DTLSW_BUILD_LUA=OFF \
      -DTLSW_BUILD_EXAMPLES=ON
    # The presets' wolfSSL cache by default, so a tree the tests already
    # built needs no second wolfSSL build.
    set -- "$@" -DTLSW_WOLFSSL_CACHE_DIR="${TLSW_WOLFSSL_CACHE_DIR:-$here/build/_wolfssl}"
    cmake -S "$here" -B "$dir" "$@" >&2
  fi
  # Two jobs at most: the benchmark's machines have two cores.
  cmake --build "$dir" --target tlsw_bench tlsw-server tlsw-client -j2 >&2
  echo "$dir"
}

# Certificates are made fresh (nothing with an expiry date is committed).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsw-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
sh "$here/tests/fixtures/gen-certs.sh" "$tmp/certs"

if [ -n "${BUILD_DIR:-}" ]; then
  dirs=$(build given)
elif [ "$both" = 1 ]; then
  dirs="$(build source) $(build system)"
else
  dirs=$(build source)
fi

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "bench.sh: $(date -u '+%Y-%m-%d %H:%M UTC'); ${cpu:-unknown CPU}, $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
for d in $dirs; do
  echo
  echo "== $(sed -n 's/^TLSW_WOLFSSL:STRING=//p' "$d/CMakeCache.txt") wolfSSL build ($d)"
  "$d/bench/tlsw_bench" $quick --certs "$tmp/certs" "$@"
  # The tools against OpenSSL's (bench/cli_bench.py says how).
  python3 "$here/bench/cli_bench.py" --bin "$d/examples" --certs "$tmp/certs" $quick
done

# The ceiling: one AEAD encrypting 16 KiB blocks on one core, OpenSSL's
# best code (user CPU time). The bulk rows encrypt and decrypt in one
# thread, so their ceiling is about half of this.
secs=3
[ -n "$quick" ] && secs=1
echo
echo "== hardware ceiling: openssl speed -evp ALG -bytes 16384 -seconds $secs (encrypt only)"
for alg in aes-128-gcm aes-256-gcm chacha20-poly1305; do
  openssl speed -evp "$alg" -bytes 16384 -seconds "$secs" 2>/dev/null |
    awk -v a="$alg" 'END { v = $NF; sub(/k$/, "", v);
      printf "  %-18s %8.0f MB/s encrypt, so about %6.0f MB/s encrypt+decrypt\n", a, v / 1000, v / 2000 }'
done
