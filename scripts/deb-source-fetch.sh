#!/bin/sh
# Fetches a pinned Debian source package into a cache directory and
# unpacks it, Debian's patches applied:
#
#   scripts/deb-source-fetch.sh PIN_FILE PREFIX CACHE_DIR
#
# PIN_FILE holds PREFIX_PACKAGE, PREFIX_DEB_VERSION, PREFIX_SUITE and
# PREFIX_DSC_SHA256 lines (cmake/wolfssl/source.pin with PREFIX WOLFSSL,
# cmake/micropython/source.pin with MICROPYTHON). Shared by
# scripts/wolfssl-fetch.sh and scripts/micropython-build.sh.
#
# Prints the unpacked source directory on its last line. The download goes
# through apt with a private sources list, lists and cache under CACHE_DIR:
# the system's apt configuration is neither read for packages nor changed
# (only the archive's address is taken from it). Once CACHE_DIR holds the
# files, nothing is downloaded again: the cache works offline.
#
# Integrity: the .dsc's SHA-256 must equal the pin; dpkg-source then checks
# every tarball against the checksums in that .dsc.
set -eu

usage="usage: $0 PIN_FILE PREFIX CACHE_DIR"
pin=${1:?$usage}
prefix=${2:?$usage}
cache=${3:?$usage}

val() { sed -n "s/^${prefix}_$1=//p" "$pin"; }
pkg=$(val PACKAGE)
ver=$(val DEB_VERSION)
suite=$(val SUITE)
want=$(val DSC_SHA256)
[ -n "$pkg" ] && [ -n "$ver" ] && [ -n "$suite" ] && [ -n "$want" ] || {
  echo "deb-source-fetch: $pin lacks one of ${prefix}_PACKAGE, _DEB_VERSION, _SUITE, _DSC_SHA256" >&2
  exit 1
}
upstream=${ver%%-*}
dsc=${pkg}_${ver}.dsc
src=$cache/$pkg-$ver

mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
src=$cache/$pkg-$ver

if [ -f "$src/.tlsw-unpacked" ]; then
  echo "$src"
  exit 0
fi

fail() {
  echo "deb-source-fetch ($pkg): $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 ||
    fail "'$1' is missing: run scripts/setup.sh (it installs $2)"
}
need dpkg-source dpkg-dev
need sha256sum coreutils

if [ ! -f "$cache/dl/$dsc" ]; then
  need apt-get apt
  # The archive address this machine already uses, so no host is written
  # here: the first Debian archive named in its sources (deb822 or
  # one-line form), security and update archives excluded.
  uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
    sed -n 's/^URIs:[[:space:]]*//p' | tr ' ' '\n' |
    grep -v -e security -e '^$' | head -n 1 || true)
  if [ -z "$uri" ]; then
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -n 's/^deb\(-src\)\?[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\3/p' |
      grep -v security | head -n 1 || true)
  fi
  [ -n "$uri" ] || fail "no Debian archive in /etc/apt/sources.list*: cannot fetch $pkg $ver (or put $dsc and its tarballs in $cache/dl)"
  apt=$cache/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$cache/dl"
  echo "deb-src $uri $suite main" >"$apt/sources.list"
  set -- -o Dir::Etc::sourcelist="$apt/sources.list" \
    -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt/lists" \
    -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1 -qq
  echo "deb-source-fetch: downloading $pkg $ver source ($suite)" >&2
  apt-get "$@" update >&2 || fail "apt-get update of the private $suite source list failed"
  (cd "$cache/dl" && apt-get "$@" source --download-only "$pkg=$ver" >&2) ||
    fail "apt-get source $pkg=$ver failed (has the pin moved out of $suite? see $pin)"
fi

got=$(sha256sum "$cache/dl/$dsc" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "$dsc has SHA-256 $got, the pin says $want: refusing it (delete $cache/dl to fetch again)"

rm -rf "$src.tmp"
# dpkg-source checks every tarball against the .dsc's checksums (the
# .dsc's own OpenPGP signature may be unverifiable here; the pin stands
# for it).
dpkg-source -x "$cache/dl/$dsc" "$src.tmp" >"$cache/unpack.log" 2>&1 || {
  cat "$cache/unpack.log" >&2
  fail "dpkg-source could not unpack $dsc (a tarball does not match its checksum?)"
}
echo "$upstream" >"$src.tmp/.tlsw-unpacked"
rm -rf "$src"
mv "$src.tmp" "$src"
echo "$src"
