#!/bin/sh
# tlswrap in one command: build the tools, make throwaway certificates,
# start tlsw-server on 127.0.0.1 (a port the system picks), send a message
# through tlsw-client with full certificate verification, and show what was
# negotiated and what came back. Nothing leaves this machine; everything it
# starts is stopped and everything it creates (except the build) is removed.
#
#   scripts/demo.sh            exit 0 when the echo came back intact
#
# TLSW_DEMO_BUILD=DIR builds elsewhere than build/demo.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${TLSW_DEMO_BUILD:-$root/build/demo}
message="Hello from tlsw-client, $(date -u '+%Y-%m-%d %H:%M:%S') UTC"

say() { printf '\n== %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

if [ -f "$root/scripts/setup.sh" ]; then
  say "Checking the build dependencies (scripts/setup.sh)"
  sh "$root/scripts/setup.sh" || die "scripts/setup.sh failed (see above)"
fi

say "Building tlsw-client and tlsw-server in $build"
echo "(the first build also fetches wolfSSL's pinned source and builds it:"
echo " about a minute; later builds reuse $root/build/_wolfssl)"
mkdir -p "$build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTLSW_WOLFSSL_CACHE_DIR="$root/build/_wolfssl" \
  -DTLSW_BUILD_TESTS=OFF -DTLSW_BUILD_LUA=OFF > "$build/demo-configure.log" \
  2>&1 || { cat "$build/demo-configure.log"; die "cmake configure failed"; }
cmake --build "$build" -j2 --target tlsw-client tlsw-server \
  > "$build/demo-build.log" 2>&1 ||
  { tail -n 30 "$build/demo-build.log"; die "build failed"; }
client=$build/examples/tlsw-client
server=$build/examples/tlsw-server
"$client" --version

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tlsw-demo.XXXXXX")
server_pid=""
client_pid=""
cleanup() {
  [ -n "$client_pid" ] && kill "$client_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  [ -n "$server_pid" ] && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "Making throwaway certificates (a CA and a server certificate for localhost)"
sh "$root/tests/fixtures/gen-certs.sh" "$tmp/certs" ||
  die "certificate generation failed (is openssl installed?)"
certs=$tmp/certs
ls "$certs"/ca.pem "$certs"/server-ec.pem "$certs"/server-ec.key

say "Starting tlsw-server (echo mode) on 127.0.0.1"
"$server" --cert "$certs/server-ec.pem" --key "$certs/server-ec.key" \
  --port 0 > "$tmp/server.out" 2> "$tmp/server.log" &
server_pid=$!
n=0
until grep -q '^listening on' "$tmp/server.out" 2>/dev/null; do
  n=$((n + 1))
  [ $n -gt 100 ] && { cat "$tmp/server.log"; die "tlsw-server did not start"; }
  kill -0 "$server_pid" 2>/dev/null ||
    { cat "$tmp/server.log"; die "tlsw-server exited"; }
  sleep 0.1
done
cat "$tmp/server.out"
port=$(sed -n 's/^listening on .*:\([0-9]*\) .*/\1/p' "$tmp/server.out")

say "tlsw-client -v --cafile ca.pem localhost:$port"
# Keep the client's stdin open until the echo is back, then close it: the
# client then sends close_notify and exits. No guessing how long to wait.
printf '%s\n' "$message" > "$tmp/message"
mkfifo "$tmp/stdin"
"$client" -v --wait 0 --cafile "$certs/ca.pem" "localhost:$port" \
  < "$tmp/stdin" > "$tmp/echo" 2> "$tmp/client.log" &
client_pid=$!
want=$(wc -c < "$tmp/message")
{
  cat "$tmp/message"
  n=0
  while kill -0 "$client_pid" 2>/dev/null &&
    [ "$(wc -c < "$tmp/echo")" -lt "$want" ] && [ $n -lt 100 ]; do
    n=$((n + 1))
    sleep 0.1
  done
} > "$tmp/stdin"
status=0
wait "$client_pid" || status=$?
client_pid=""
cat "$tmp/client.log"
[ $status = 0 ] || die "tlsw-client failed with exit status $status"

field() { sed -n "s/^\*  *$1: *//p" "$tmp/client.log" | head -n 1; }
say "Result"
printf '  library:       %s\n' "$("$client" --version)"
printf '  protocol:      %s\n' "$(field protocol)"
printf '  cipher:        %s\n' "$(field cipher)"
printf '  peer subject:  %s\n' "$(sed -n 's/^\*   subject: *//p' "$tmp/client.log")"
printf '  sent:          %s\n' "$message"
printf '  echoed back:   %s\n' "$(cat "$tmp/echo")"

kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null || true
server_pid=""
say "Server log"
cat "$tmp/server.log"

cmp -s "$tmp/message" "$tmp/echo" || die "the echo differs from the message"
say "Demo OK"
