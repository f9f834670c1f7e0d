#!/bin/bash
# Runs the README's client (built from README.md) against `openssl s_server
# -www` on 127.0.0.1: with the test CA it must print the page and exit 0;
# trusting another CA it must fail the handshake with a readable message.
# Usage: readme_client.sh <readme_client binary> <cert dir>
set -u
exe=$1 certs=$2
work=$(mktemp -d)
srv_pid=
cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# Start a one-connection s_server on a free port; sets port and srv_pid.
# A random port may be taken: then s_server exits and we try another.
start_server() {
  for _ in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 40000))
    openssl s_server -accept "127.0.0.1:$port" -naccept 1 -www \
      -cert "$certs/server-ec.pem" -key "$certs/server-ec.key" \
      >"$work/server.log" 2>&1 </dev/null &
    srv_pid=$!
    for _ in $(seq 50); do # ready when it prints ACCEPT (5 s at most)
      grep -q '^ACCEPT' "$work/server.log" && return 0
      kill -0 "$srv_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$srv_pid" 2>/dev/null
    wait "$srv_pid" 2>/dev/null
    srv_pid=
  done
  echo "FAIL: openssl s_server did not start"; cat "$work/server.log"
  exit 1
}

fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"; exit 1; }

start_server
timeout 20 "$exe" localhost "$port" "$certs/ca.pem" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 0 ] || fail "exit status $rc with the right CA"
grep -q '^HTTP/1.0 200 ok' "$work/out" || fail "no HTTP response"
grep -q '^connected: TLSv1.3, TLS_' "$work/err" || fail "no 'connected' line"
wait "$srv_pid" 2>/dev/null; srv_pid=

start_server
timeout 20 "$exe" localhost "$port" "$certs/other-ca.pem" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 1 ] || fail "exit status $rc with the wrong CA, expected 1"
grep -q '^handshake: certificate verify failed' "$work/err" ||
  fail "no readable handshake failure"
echo "PASS: README client fetched a page and refused an untrusted server"
