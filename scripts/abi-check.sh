#!/bin/sh
# ABI gate: compare libtlswrap.so's ABI with the committed baseline
# abi/libtlswrap.abi (abidw/abidiff, Debian's abigail-tools).
#
#   scripts/abi-check.sh [BUILD_DIR]           check (default build/default)
#   scripts/abi-check.sh --update [BUILD_DIR]  record this build's ABI as the
#                                              baseline, on purpose
#
# Only what the public headers (include/tlswrap) declare counts: functions
# with an exported symbol, and the types they reach that are defined in
# those headers (the opaque tlsw_ctx/tlsw_session stay opaque). wolfSSL
# inside the library, and tlswrap's hidden internals, are not part of it.
#
# Verdict (docs/design.md, "Packaging and ABI policy"):
#   no change, or only compatible changes (a function added): exit 0; a
#     compatible change is listed, and --update records it;
#   an incompatible change (a function removed or changed, a public type
#     changed, the SONAME moved): exit 1, with what to do; --update then
#     records it only if the SONAME has moved too;
#   a usage or tool error: exit 2; a baseline made for another architecture
#     than this build's: exit 77 (not comparable, ctest reports a skip).
#
# The baseline is made from the reference build (the default preset: source
# wolfSSL, gcc, RelWithDebInfo, no sanitizers), since the debug information
# abidw reads is the compiler's. It holds no paths and no line numbers, so
# it does not depend on where the tree or the build lives, and it changes
# only when the ABI does.
#
# Options for tests (abi/selftest): --lib FILE (the shared library),
# --headers DIR (its public headers), --baseline FILE.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
update=0
build_dir=""
lib=""
headers="$here/include/tlswrap"
baseline="$here/abi/libtlswrap.abi"

usage() {
  sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case $1 in
    --update) update=1 ;;
    --lib) lib=$2; shift ;;
    --headers) headers=$2; shift ;;
    --baseline) baseline=$2; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "abi-check: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) build_dir=$1 ;;
  esac
  shift
done

for tool in abidw abidiff readelf; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "abi-check: $tool not found: install abigail-tools and binutils (scripts/setup.sh)" >&2
    exit 2
  fi
done

if [ -z "$lib" ]; then
  [ -n "$build_dir" ] || build_dir="$here/build/default"
  lib="$build_dir/libtlswrap.so"
fi
if [ ! -e "$lib" ]; then
  echo "abi-check: no $lib: build the shared library first (TLSW_BUILD_SHARED=ON)" >&2
  exit 2
fi
lib=$(readlink -f "$lib")
if [ ! -d "$headers" ]; then
  echo "abi-check: no header directory $headers" >&2
  exit 2
fi
headers=$(cd "$headers" && pwd)
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "abi-check: $lib has no debug information (build with RelWithDebInfo or Debug)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# --exported-interfaces-only + --headers-dir + --drop-private-types: the
# public ABI only. --no-show-locs, --short-locs (a translation unit named
# by its file name), --no-corpus-path, --no-comp-dir-path: nothing that
# names a path or a line. --type-id-style hash: a type added does not
# renumber every other one, so a refreshed baseline's diff shows what
# changed. --no-elf-needed: DT_NEEDED follows the wolfSSL build, not the
# API.
abidw --exported-interfaces-only --headers-dir "$headers" --drop-private-types \
  --no-show-locs --short-locs --no-corpus-path --no-comp-dir-path \
  --no-elf-needed --type-id-style hash --out-file "$tmp/new.abi" "$lib"

# A dump that names this tree or build would make the check depend on
# where they are.
for p in "$here" "$(dirname "$lib")" "$headers"; do
  if grep -qF "$p" "$tmp/new.abi"; then
    echo "abi-check: the ABI dump of $lib contains the path $p; it must not depend on where the build is" >&2
    exit 2
  fi
done

attr() { # attribute of the abi-corpus element: attr NAME FILE
  sed -n "s/.*<abi-corpus [^>]*$1='\([^']*\)'.*/\1/p" "$2" | head -n 1
}
new_soname=$(attr soname "$tmp/new.abi")
rel_baseline=${baseline#"$here"/}

if [ ! -f "$baseline" ]; then
  if [ $update -eq 1 ]; then
    mkdir -p "$(dirname "$baseline")"
    cp "$tmp/new.abi" "$baseline"
    echo "abi-check: baseline $rel_baseline created for $new_soname"
    exit 0
  fi
  echo "abi-check: no baseline $rel_baseline; create it with: $0 --update ${build_dir:-BUILD_DIR}" >&2
  exit 2
fi

old_soname=$(attr soname "$baseline")
old_arch=$(attr architecture "$baseline")
new_arch=$(attr architecture "$tmp/new.abi")
if [ "$old_arch" != "$new_arch" ]; then
  echo "abi-check: the baseline is for $old_arch, this build is $new_arch: not comparable (the reference build is the default preset on $old_arch)"
  exit 77
fi

set +e
abidiff --no-show-locs "$baseline" "$tmp/new.abi" >"$tmp/report" 2>&1
rc=$?
set -e

if [ $((rc & 3)) -ne 0 ]; then
  cat "$tmp/report" >&2
  echo "abi-check: abidiff failed (status $rc)" >&2
  exit 2
fi

refresh="$0 --update ${build_dir:-BUILD_DIR}"
if [ $((rc & 8)) -ne 0 ]; then
  cat "$tmp/report"
  if [ $update -eq 1 ] && [ "$old_soname" != "$new_soname" ]; then
    cp "$tmp/new.abi" "$baseline"
    echo "abi-check: incompatible ABI change recorded with the new SONAME $new_soname (was $old_soname): commit $rel_baseline together with the version change"
    exit 0
  fi
  echo
  if [ $update -eq 1 ]; then
    echo "abi-check: refused: the change above breaks the ABI, but the SONAME is still $new_soname."
  else
    echo "abi-check: FAILED: the change above breaks the ABI of $old_soname."
  fi
  echo "  If it is a mistake, restore what the baseline ($rel_baseline) records."
  echo "  If it is on purpose: move the SONAME (while 0.x, raise the minor"
  echo "  version in CMakeLists.txt's project(); from 1.0, the major), rebuild,"
  echo "  then record the new ABI with: $refresh"
  echo "  and commit $rel_baseline with the version change and a CHANGELOG entry."
  exit 1
fi

if [ $((rc & 4)) -ne 0 ]; then
  cat "$tmp/report"
  if [ $update -eq 1 ]; then
    cp "$tmp/new.abi" "$baseline"
    echo "abi-check: compatible ABI change recorded in $rel_baseline ($new_soname)"
  else
    echo "abi-check: ok: compatible ABI change only (above); the baseline does not record it yet: $refresh"
  fi
  exit 0
fi

if [ $update -eq 1 ] && ! cmp -s "$baseline" "$tmp/new.abi"; then
  cp "$tmp/new.abi" "$baseline"
  echo "abi-check: no ABI change; $rel_baseline rewritten (same ABI, new representation)"
  exit 0
fi
echo "abi-check: ok: the ABI of $new_soname matches $rel_baseline"
