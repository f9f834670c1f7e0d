#!/bin/sh
# Joins a wolfSSL static library into one relocatable object whose only
# global symbols are wolfSSL's own API names:
#
#   cmake/wolfssl/prelink.sh LIBWOLFSSL_A OUT_O AR LD OBJCOPY NM
#
# Why: libtlswrap.a carries wolfSSL. Its ~1,000 internal functions
# (InitSSL, ProcessReply, DoClientHelloStateless ...) are hidden, which
# keeps them out of a shared library's exports but not out of a static
# link, where they would collide with a program's own symbols; and a few
# OpenSSL names that wolfSSL defines as real functions
# (SSL_COMP_get_compression_methods, ERR_load_SSL_strings, ...) would take
# over libssl's own calls in a program that also links OpenSSL (measured
# with LD_DEBUG=bindings). After `ld -r`, hidden symbols are made local,
# and so is every global that is not named wolf*/wc_*/WOLF*: tlswrap calls
# none of those.
set -eu
lib=$1 out=$2 ar=$3 ld=$4 objcopy=$5 nm=$6
tmp=$out.d
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$tmp" && "$ar" x "$lib")
"$ld" -r -o "$tmp/joined.o" "$tmp"/*.o
"$nm" -g --defined-only "$tmp/joined.o" | awk 'NF == 3 { print $3 }' |
  grep -Ev '^(wolf|wc_|WOLF|Wolf)' >"$tmp/foreign.txt" || true
"$objcopy" --localize-hidden --localize-symbols="$tmp/foreign.txt" \
  "$tmp/joined.o" "$out"
n=$(wc -l <"$tmp/foreign.txt")
rm -rf "$tmp"
echo "prelinked $lib: $n non-wolfSSL globals made local"
