#!/bin/sh
# Builds and runs bench/firmware/native.c (see its comment) under QEMU:
#
#   bench/firmware/native.sh [BUILD_DIR [compat]]  (default build/fw-native)
#
# Needs the cortex-m4 preset built first (its certificates, fw_certs.c) and
# the pinned wolfSSL source in build/_wolfssl. wolfSSL is compiled with the
# firmware profile minus OPENSSL_EXTRA, OPENSSL_ALL, SESSION_CERTS and
# KEEP_OUR_CERT, i.e. without what tlswrap's backend needs today; with
# "compat", with the firmware profile unchanged (what tlswrap's images use),
# so the two runs split the cost of the compat layer from tlswrap's own.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-build/fw-native}
mkdir -p "$out"
out=$(cd "$out" && pwd)
src=$(ls -d build/_wolfssl/wolfssl-*/ | head -1)
certs=build/cortex-m4/tests/firmware/fw_certs.c
[ -f "$certs" ] || { echo "native.sh: build the cortex-m4 preset first" >&2; exit 1; }
mkdir -p "$out/profile"
{
  cat cmake/wolfssl/profiles/firmware/user_settings.h
  if [ "${2:-}" != compat ]; then
    echo '#undef OPENSSL_EXTRA'
    echo '#undef OPENSSL_ALL'
    echo '#undef SESSION_CERTS'
    echo '#undef KEEP_OUR_CERT'
  fi
} >"$out/profile/user_settings.h"
flags="-mcpu=cortex-m4 -mthumb -mfloat-abi=soft --specs=nano.specs -Os -ffunction-sections -fdata-sections"
CC=arm-none-eabi-gcc AR=arm-none-eabi-ar CFLAGS="$flags" \
  sh cmake/wolfssl/build-user.sh "$src" "$out/work" "$out/wolfssl" "$out/profile"
# shellcheck disable=SC2086
arm-none-eabi-gcc $flags -std=c99 -Wall -Wextra -Wpedantic -Werror -DWOLFSSL_USER_SETTINGS -I"$out/wolfssl/include" \
  -Itests/firmware bench/firmware/native.c tests/firmware/board_mps2.c "$certs" \
  "$out/wolfssl/lib/libwolfssl.a" -T tests/firmware/mps2-an386.ld -nostartfiles \
  --specs=rdimon.specs -Wl,--gc-sections -o "$out/native.elf"
qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$out/native.elf"
