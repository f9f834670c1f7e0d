#!/bin/sh
# Installs every Debian 12 package tlswrap needs to build, test and demo.
# Idempotent: when everything is already installed it touches nothing (no
# apt-get update either). As root it runs apt-get; otherwise it lists what
# is missing and exits 1, so a CI or a person knows exactly what to do.
#
# Add packages to TLSW_PACKAGES, one place for the whole project.
set -eu

# libc6-dev is listed because gcc only recommends it, and recommends are
# not installed (--no-install-recommends keeps CI images small).
# autoconf, automake, libtool, dpkg-dev and xz-utils build wolfSSL from
# its pinned Debian source (scripts/wolfssl-fetch.sh, cmake/wolfssl/);
# libwolfssl-dev is the system build's wolfSSL (TLSW_WOLFSSL=system).
# doxygen builds the API reference (the docs target, the apidoc tests).
# abigail-tools (abidw, abidiff) is the ABI gate (scripts/abi-check.sh);
# groff-base renders the man pages in the man test.
# gcc-arm-none-eabi, libnewlib-arm-none-eabi and qemu-system-arm build the
# Cortex-M4 firmware images and run them (the cortex-m4 preset,
# docs/firmware.md). procps gives scripts/bench.sh's tools section pgrep
# (a minimal Debian root has none).
TLSW_PACKAGES="
  cmake make gcc libc6-dev clang libclang-rt-14-dev pkg-config git
  autoconf automake libtool dpkg-dev xz-utils
  libwolfssl-dev libcmocka-dev libssl-dev
  openssl gnutls-bin ca-certificates curl
  lua5.4 liblua5.4-dev lua-socket lua-sec
  valgrind python3 doxygen
  abigail-tools groff-base
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  procps
"

missing=""
for p in $TLSW_PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing="$missing $p"
  fi
done

if [ -z "$missing" ]; then
  echo "setup: all packages present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages:$missing" >&2
  echo "setup: run this script as root (e.g. sudo $0), or yourself:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "setup: installing:$missing"
# Non-interactive: this runs in CI and in containers without a terminal.
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting of the list is intended
apt-get install -y --no-install-recommends $missing
echo "setup: done"
