#!/bin/sh
# Builds wolfSSL from source with a user_settings.h profile (the firmware
# way: -DWOLFSSL_USER_SETTINGS, no ./configure, which cannot run for a
# bare-metal target) and installs libwolfssl.a, the headers and
# user_settings.h:
#
#   cmake/wolfssl/build-user.sh SRC_DIR WORK_DIR PREFIX PROFILE_DIR
#
# CC, AR and CFLAGS come from the environment (CMake passes the toolchain's
# compiler, archiver and target flags). Every source file of wolfSSL's TLS
# and wolfCrypt directories is compiled; what the settings leave out
# compiles to nothing, and --gc-sections drops what tlswrap never calls.
# SRC_DIR is never written to.
set -eu
src=${1:?usage}
work=${2:?usage}
prefix=${3:?usage}
profile=${4:?usage}
: "${CC:?CC}" "${AR:?AR}"

fail() {
  echo "wolfssl-build-user: $*" >&2
  exit 1
}
[ -f "$profile/user_settings.h" ] || fail "no $profile/user_settings.h"
# A profile may build on another one (firmware-client includes
# "firmware/user_settings.h"): the profiles directory is on the include
# path, and every profile's settings are installed under its name.
profile=$(cd "$profile" && pwd)
profiles=$(dirname "$profile")

rm -rf "$work/obj" "$prefix"
mkdir -p "$work/obj" "$prefix/lib" "$prefix/include"
# Absolute, since the header copy below runs from inside SRC_DIR.
prefix=$(cd "$prefix" && pwd)
work=$(cd "$work" && pwd)
log=$work/build.log
: >"$log"

# The files ssl.c includes itself (WOLFSSL_*_INCLUDED) and the inlined
# misc.c are not compiled on their own.
skip='^(bio|conf|pk|ssl_asn1|ssl_bn|ssl_certman|ssl_crypto|ssl_load|ssl_misc|ssl_p7p12|ssl_sess|x509|x509_str|sniffer)\.c$|^(evp|misc)\.c$'
list=$work/sources.txt
: >"$list"
for f in "$src"/src/*.c "$src"/wolfcrypt/src/*.c; do
  b=$(basename "$f")
  printf '%s\n' "$b" | grep -Eq "$skip" && continue
  printf '%s\n' "$f" >>"$list"
done
# Two jobs, one compiler call a file; a failure stops the build.
export src work profile profiles log
# shellcheck disable=SC2016 # expanded by the inner shell
xargs -P "${TLSW_JOBS:-2}" -n 1 sh -c '
  f=$1
  o=$work/obj/$(printf "%s" "${f#"$src"/}" | sed "s|/|_|g; s|\.c\$|.o|")
  echo "+ $CC $CFLAGS $f" >>"$log.$$"
  $CC $CFLAGS -DWOLFSSL_USER_SETTINGS -I"$profile" -I"$profiles" -I"$src" -c "$f" -o "$o" \
    >>"$log.$$" 2>&1 || { cat "$log.$$" >&2; echo "cannot compile $f" >&2; exit 255; }
' sh <"$list" || fail "compiling failed; see above"
cat "$log".* >>"$log" 2>/dev/null || true
rm -f "$log".*
"$AR" rcs "$prefix/lib/libwolfssl.a" "$work"/obj/*.o
# Headers: wolfSSL's own and the profile's settings, which every includer
# must see with -DWOLFSSL_USER_SETTINGS.
(cd "$src" && find wolfssl -name '*.h' | while read -r h; do
  mkdir -p "$prefix/include/$(dirname "$h")"
  cp "$h" "$prefix/include/$h"
done)
rm -f "$prefix/include/wolfssl/options.h"
cp "$profile/user_settings.h" "$prefix/include/user_settings.h"
for f in "$profiles"/*/user_settings.h; do
  d=$prefix/include/$(basename "$(dirname "$f")")
  mkdir -p "$d"
  cp "$f" "$d/user_settings.h"
done
echo "user_settings.h ($profile)" >"$prefix/profile-options.txt"
