#!/bin/sh
# Builds the MicroPython unix binary (standard variant) with tlswrap's `tls`
# module (src/adapters/micropython), from the pinned Debian source
# (cmake/micropython/source.pin, fetched by scripts/deb-source-fetch.sh):
#
#   scripts/micropython-build.sh LIBTLSWRAP_A [CACHE_DIR]
#
# LIBTLSWRAP_A is a source build's static library (wolfSSL inside it, e.g.
# build/default/libtlswrap.a). CACHE_DIR (default build/_micropython) keeps
# the source, mpy-cross and the port's build, so a second run only
# recompiles what changed and relinks against the library given. Prints
# the binary's path on its last line; it is also CACHE_DIR/bin/micropython
# (what scripts/test.sh configures as TLSW_MICROPYTHON), which is removed
# first, so a failed build leaves no stale binary behind.
#
# The flags are src/adapters/micropython/README.md's ("Adding the module
# to a port"): MicroPython's mbedTLS and axTLS off (the module replaces
# them), btree off (no berkeley-db in the +ds source), FFI off (no libffi
# needed). The variant, cmake/micropython/tlswrap, is the standard one with
# cryptolib and MD5/SHA-1 hashlib off (they need mbedTLS; 1.25 cannot turn
# them off from CFLAGS_EXTRA) and a frozen manifest without micropython-lib.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
lib=${1:?usage: $0 LIBTLSWRAP_A [CACHE_DIR]}
cache=${2:-$here/build/_micropython}

fail() {
  echo "micropython-build: $*" >&2
  exit 1
}

[ -f "$lib" ] || fail "$lib does not exist: build tlswrap first (cmake --build --preset default)"
lib=$(cd "$(dirname "$lib")" && pwd)/$(basename "$lib")
mkdir -p "$cache/bin"
cache=$(cd "$cache" && pwd)
rm -f "$cache/bin/micropython"

src=$(sh "$here/scripts/deb-source-fetch.sh" "$here/cmake/micropython/source.pin" \
  MICROPYTHON "$cache" | tail -n 1)
[ -f "$src/ports/unix/Makefile" ] || fail "$src is not a MicroPython tree"

jobs=${TLSW_JOBS:-2}
variant=$here/cmake/micropython/tlswrap
set -- VARIANT_DIR="$variant" MICROPY_SSL_MBEDTLS=0 MICROPY_SSL_AXTLS=0 \
  MICROPY_PY_BTREE=0 MICROPY_PY_FFI=0 \
  USER_C_MODULES="$here/src/adapters" TLSWRAP_LIB="$lib"
# MicroPython does not regenerate its module list when the flags change
# (README.md): one build directory per set of flags and variant files, the
# old ones removed.
key=$(printf '%s\n' "$@" | cat - "$variant"/* | sha256sum | cut -c1-12)
build=$cache/unix-$key
for d in "$cache"/unix-*; do
  [ "$d" = "$build" ] || rm -rf "$d"
done

# MicroPython's make prints a line per file: kept in a log, shown on failure.
log=$cache/build.log
quiet() { # what command...
  what=$1
  shift
  "$@" >"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    fail "$what did not build (whole log: $log)"
  }
}
quiet mpy-cross make -s -C "$src/mpy-cross" -j"$jobs"
# The library is not one of make's prerequisites: relink when it is newer.
if [ -f "$build/micropython" ] && [ "$lib" -nt "$build/micropython" ]; then
  rm -f "$build/micropython"
fi
quiet "the unix port ($*)" make -s -C "$src/ports/unix" -j"$jobs" BUILD="$build" "$@"
echo "micropython-build: $build/micropython ($(grep -c '^CC ' "$log") files compiled)" >&2
ln -sf "$build/micropython" "$cache/bin/micropython"
"$cache/bin/micropython" -c "import tls; assert not hasattr(tls, 'MBEDTLS_VERSION')" ||
  fail "$build/micropython has no tlswrap tls module"
echo "$cache/bin/micropython"
