#!/bin/sh
# Self-test of scripts/abi-check.sh on a library of its own (abist.c,
# include/abist.h): the decisions the gate makes, without touching the
# real baseline. Usage: run.sh CC WORKDIR
#   1. --update creates a baseline for v1 (SONAME libabist.so.1);
#   2. the same library, and one built from another directory, pass
#      (nothing in the baseline depends on where the build is);
#   3. a change to a private struct and hidden function passes;
#   4. v2 adds a function: passes (compatible);
#   5. v3 changes a public struct and removes a function: fails; --update
#      refuses it while the SONAME is the same and leaves the baseline;
#   6. v3 with SONAME libabist.so.2: --update records it, then it passes.
set -eu
cc=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
check="$here/../../scripts/abi-check.sh"
rm -rf "$work"
mkdir -p "$work"
base="$work/abist.abi"
failures=0

# build NAME ABIST_V SONAME_MAJOR [PRIVATE_V] [DIR]: a copy of the sources
# in DIR (so the debug information names DIR), built with -g.
build() {
  dir=${5:-$work/src-$1}
  mkdir -p "$dir"
  cp -R "$here/abist.c" "$here/private.h" "$here/include" "$dir/"
  (cd "$dir" && "$cc" -g -O1 -fPIC -shared -fvisibility=hidden \
    -DABIST_V="$2" -DABIST_PRIVATE_V="${4:-1}" -Iinclude \
    -Wl,-soname,"libabist.so.$3" abist.c -o "$work/$1.so")
  lib="$work/$1.so"
  hdr="$dir/include"
}

# expect STATUS WHAT ARGS...: run the gate, compare its exit status.
expect() {
  want=$1 what=$2
  shift 2
  set +e
  sh "$check" --baseline "$base" "$@" >"$work/out" 2>&1
  got=$?
  set -e
  if [ "$got" -eq "$want" ]; then
    echo "ok: $what (exit $got)"
  else
    echo "FAILED: $what: exit $got, expected $want; output:"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  fi
}

build v1 1 1
expect 0 "baseline created" --update --lib "$lib" --headers "$hdr"
cp "$base" "$work/v1.abi"
expect 0 "same library passes" --lib "$lib" --headers "$hdr"
build v1-elsewhere 1 1 1 "$work/some/other/place"
expect 0 "built in another directory, same ABI" --lib "$lib" --headers "$hdr"
sh "$check" --baseline "$work/elsewhere.abi" --update --lib "$lib" --headers "$hdr" >/dev/null
if cmp -s "$work/v1.abi" "$work/elsewhere.abi"; then
  echo "ok: the baseline is the same byte for byte from another directory"
else
  echo "FAILED: the baseline depends on the build directory:"
  diff "$work/v1.abi" "$work/elsewhere.abi" | head -n 20
  failures=$((failures + 1))
fi
build v1-private 1 1 2
expect 0 "a private struct changed: not part of the ABI" --lib "$lib" --headers "$hdr"
build v2 2 1
expect 0 "a function added: compatible" --lib "$lib" --headers "$hdr"
grep -q "abist_budget" "$work/out" || {
  echo "FAILED: the added function is not reported"
  failures=$((failures + 1))
}
build v3 3 1
expect 1 "a public struct changed, a function removed: incompatible" --lib "$lib" --headers "$hdr"
grep -q -- "--update" "$work/out" || {
  echo "FAILED: the failure does not say how to refresh the baseline"
  failures=$((failures + 1))
}
expect 1 "--update refuses an incompatible change with the same SONAME" --update --lib "$lib" --headers "$hdr"
if ! cmp -s "$base" "$work/v1.abi"; then
  echo "FAILED: a refused --update changed the baseline"
  failures=$((failures + 1))
fi
build v3-so2 3 2
expect 1 "a new SONAME is itself a change to record" --lib "$lib" --headers "$hdr"
expect 0 "--update records an incompatible change with a new SONAME" --update --lib "$lib" --headers "$hdr"
expect 0 "after the update, v3 passes" --lib "$lib" --headers "$hdr"

if [ $failures -ne 0 ]; then
  echo "abi selftest: $failures check(s) failed"
  exit 1
fi
echo "abi selftest: all checks passed"
