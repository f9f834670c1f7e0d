#!/bin/sh
# Builds wolfSSL from source with a named profile and installs it (static
# library with position-independent code, headers, options.h):
#
#   cmake/wolfssl/build.sh SRC_DIR WORK_DIR PREFIX PROFILE_FILE ARCH
#
# CC and CFLAGS come from the environment (CMake passes its compiler and,
# with TLSW_SANITIZE, the sanitizer flags, so wolfSSL's own bugs show).
# SRC_DIR is never written to: it is copied into WORK_DIR first, because
# autogen.sh and configure write into the tree they run in.
set -eu
src=${1:?usage}
work=${2:?usage}
prefix=${3:?usage}
profile=${4:?usage}
arch=${5:?usage}

fail() {
  echo "wolfssl-build: $*" >&2
  exit 1
}
for t in autoreconf libtoolize make; do
  command -v $t >/dev/null 2>&1 ||
    fail "'$t' is missing: run scripts/setup.sh (autoconf, automake, libtool)"
done

# The profile: comments and blank lines dropped; "ARCH: opt" kept only on
# ARCH; -D macros go to CFLAGS, the rest to configure.
opts=""
defs=""
while IFS= read -r line || [ -n "$line" ]; do
  line=$(printf '%s' "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  case "$line" in "" | "#"*) continue ;; esac
  case "$line" in
    *:*)
      a=${line%%:*}
      [ "$a" = "$arch" ] || continue
      line=$(printf '%s' "${line#*:}" | sed 's/^[[:space:]]*//')
      ;;
  esac
  case "$line" in
    -D*) defs="$defs $line" ;;
    --*) opts="$opts $line" ;;
    *) fail "$profile: cannot read line '$line'" ;;
  esac
done <"$profile"

rm -rf "$work/src" "$prefix"
mkdir -p "$work"
cp -a "$src" "$work/src"
cd "$work/src"
log=$work/build.log
: >"$log"
run() {
  echo "+ $*" >>"$log"
  "$@" >>"$log" 2>&1 || {
    tail -n 40 "$log" >&2
    fail "'$1' failed; the whole log is $log"
  }
}
[ -x configure ] || run ./autogen.sh
# shellcheck disable=SC2086 # the option lists are split on purpose
run ./configure --prefix="$prefix" --libdir="$prefix/lib" \
  --enable-static --disable-shared --with-pic \
  --disable-examples --disable-crypttests --disable-benchmark \
  --disable-dependency-tracking --disable-silent-rules \
  $opts CFLAGS="${CFLAGS:-} $defs"
run make -j"${TLSW_JOBS:-2}"
run make install
# The configure line, for tlsw-client --version and for readers.
echo "$opts $defs" >"$prefix/profile-options.txt"
