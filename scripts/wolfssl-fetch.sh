#!/bin/sh
# Fetches the pinned wolfSSL source (cmake/wolfssl/source.pin) into a cache
# directory and unpacks it, Debian's patches applied:
#
#   scripts/wolfssl-fetch.sh CACHE_DIR
#
# prints the unpacked source directory on its last line. The download,
# the checks and the offline cache are scripts/deb-source-fetch.sh's.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
exec sh "$here/scripts/deb-source-fetch.sh" "$here/cmake/wolfssl/source.pin" \
  WOLFSSL "${1:?usage: $0 CACHE_DIR}"
