#!/bin/sh
# The options the other scripts do not exercise: --capath, --pass env:/file:,
# --insecure's warning, --list-ciphers, --help, --version, the server's
# handshake and idle limits, and a polite close on SIGTERM.
. "$TLSW_CLI_LIB"

expect_rc 0 help "$CLIENT" --help
grep -q "^Exit status:" "$T/help.stdout" && grep -q "^Examples:" "$T/help.stdout" ||
  fail "client --help lacks exit statuses or examples"
expect_rc 0 shelp "$SERVER" --help
grep -q "^Examples:" "$T/shelp.stdout" || fail "server --help lacks examples"
expect_rc 0 ver "$CLIENT" --version
grep -q "^tlsw-client tlswrap [0-9.]* (wolfSSL" "$T/ver.stdout" || fail "--version: $(cat "$T/ver.stdout")"
expect_rc 0 sver "$SERVER" --version
for f in ver sver; do
  # wolfSSL's version and build (source/PROFILE or system), then the
  # features by name: the library's own words, not a copy of them.
  grep -q "(wolfSSL [0-9][0-9.]*, [a-z]" "$T/$f.stdout" || fail "$f build: $(cat "$T/$f.stdout")"
  grep -q "^backend: wolfssl$" "$T/$f.stdout" || fail "$f backend"
  grep -qE "^features:( [A-Za-z0-9.-]+)+$" "$T/$f.stdout" || fail "$f features: $(cat "$T/$f.stdout")"
  grep -q "^features:.* TLS1.3" "$T/$f.stdout" || fail "$f: no TLS1.3 feature"
  # Every feature bit tlswrap.h defines has a name in the tools.
  ! grep -q "^features:.* 0x" "$T/$f.stdout" || fail "$f: an unnamed feature bit: $(cat "$T/$f.stdout")"
  grep -q "^protocols: TLS 1.2" "$T/$f.stdout" || fail "$f protocols"
done
grep -q "^tlsw-server tlswrap [0-9.]* (wolfSSL" "$T/sver.stdout" || fail "server --version"
expect_rc 0 list "$CLIENT" --list-ciphers
sed -n '2p' "$T/list.stdout" | grep -q '^TLS_[A-Z0-9_]*$' || fail "list: $(head -3 "$T/list.stdout")"
grep -q '^TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256$' "$T/list.stdout" || fail "list lacks a 1.2 suite"
ok "--help (exit statuses, examples), --version (wolfSSL build, features), --list-ciphers"

# Server key encrypted, password from the environment; client CA from a
# directory; client key password from a file.
TLSW_PW=secret
export TLSW_PW
start_server enc --cert "$C/server-ec.pem" --key "$C/server-ec-enc.key" \
  --pass env:TLSW_PW --client-ca "$C/ca.pem" --verify optional
mkdir "$T/cadir"
cp "$C/ca.pem" "$T/cadir/"
printf 'secret\n' > "$T/pw"
printf 'x\n' > "$T/a.in"
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:secret \
  -in "$C/client.key" -out "$T/client-enc.key" 2>/dev/null || fail "pkcs8"
relay a 2 "$CLIENT" --wait 0 --capath "$T/cadir" --cert "$C/client.pem" \
  --key "$T/client-enc.key" --pass "file:$T/pw" "localhost:$SRV_PORT"
[ $RC = 0 ] && cmp -s "$T/a.in" "$T/a.got" || fail "capath/pass: exit $RC: $(cat "$T/a.err")"
wait_grep "$T/enc.err" 'client-cert="CN=client"' 10 || fail "client cert"
ok "--pass env: (server) and file: (client), --capath"

expect_rc 2 badpw "$CLIENT" --cafile "$C/ca.pem" --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa-enc.key" --pass pass:wrong "localhost:$SRV_PORT"
grep -q -- "--pass" "$T/badpw.err" || fail "wrong password: $(cat "$T/badpw.err")"
expect_rc 2 noenv "$CLIENT" --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa-enc.key" --pass env:TLSW_NO_SUCH_VAR "localhost:1"
expect_rc 2 plainpw "$CLIENT" --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa-enc.key" --pass secret "localhost:1"
ok "wrong password, unset variable, unprefixed --pass: exit 2"

# Default trust is the system store, which does not hold the test CA.
expect_rc 4 system "$CLIENT" "localhost:$SRV_PORT"
grep -q "unable to get local issuer" "$T/system.err" || fail "system: $(cat "$T/system.err")"
ok "without --cafile the system store is used (test CA untrusted: exit 4)"

relay a 2 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" \
  --ciphers TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 "localhost:$SRV_PORT"
[ $RC = 0 ] && cmp -s "$T/a.in" "$T/a.got" || fail "TLS 1.2 suite: exit $RC"
grep -q "protocol: TLSv1.2" "$T/a.err" || fail "not TLSv1.2"
grep -q "cipher:   TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384" "$T/a.err" ||
  fail "wrong suite"
ok "--ciphers with only a TLS 1.2 suite gives TLS 1.2 with that suite"

relay a 2 "$CLIENT" --wait 0 --insecure "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "--insecure: exit $RC"
grep -q "WARNING: --insecure" "$T/a.err" || fail "no --insecure warning"
ok "--insecure connects and warns on stderr"

# SIGTERM during a session: close_notify, exit 0.
hold_client t || fail "SIGTERM client handshake"
cpid=$CPID
before=$(grep -c "ok: client closed" "$T/enc.err")
kill -TERM $cpid
wait $cpid
RC=$?
exec 3>&-
[ $RC = 0 ] || fail "SIGTERM: exit $RC"
wait_grep "$T/enc.err" "client-cert=none ok: client closed" 10 || fail "server did not see close_notify"
ok "SIGTERM ends the client politely (close_notify, exit 0)"
stop $SRV_PID

# Server limits: a client that never speaks, a client that goes idle.
start_server lim --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --timeout 1 --idle 1
"$FREEPORT" hold "$SRV_PORT" > "$T/hold.out" 2>&1
grep -q closed "$T/hold.out" || fail "silent client not dropped"
wait_grep "$T/lim.err" "handshake failed: no handshake within --timeout" 10 ||
  fail "no timeout log line"
ok "server --timeout drops a client that never starts a handshake"
mkfifo "$T/i.fifo"
timeout 30 "$CLIENT" --cafile "$C/ca.pem" "localhost:$SRV_PORT" \
  < "$T/i.fifo" > /dev/null 2> "$T/i.err" &
cpid=$!
track $cpid
exec 4> "$T/i.fifo"
wait $cpid
RC=$?
exec 4>&-
[ $RC = 0 ] || fail "idle close: client exit $RC: $(cat "$T/i.err")"
wait_grep "$T/lim.err" "closed: idle longer than --idle" 10 || fail "idle log"
ok "server --idle closes an idle client with close_notify (client exits 0)"
stop $SRV_PID

# The connection policy's options: bad values are usage errors that say
# what is wanted; --handshake-timeout is --timeout by its clearer name.
for bad in "--max-per-addr -1" "--max-per-addr x" "--handshake-timeout 0" \
    "--max-clients 0"; do
  # shellcheck disable=SC2086
  expect_rc 2 pol "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" $bad
  grep -q "^tlsw-server: ${bad%% *} wants .*, not '${bad#* }'" "$T/pol.err" ||
    fail "$bad: $(cat "$T/pol.err")"
done
ok "server: bad --max-per-addr/--handshake-timeout/--max-clients values are usage errors"
start_server hto --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --handshake-timeout 1 --max-per-addr 1
"$FREEPORT" hold "$SRV_PORT" > "$T/hold2.out" 2>&1
grep -q closed "$T/hold2.out" || fail "--handshake-timeout: silent client not dropped"
wait_grep "$T/hto.err" "handshake failed: no handshake within --timeout" 10 ||
  fail "no --handshake-timeout log line"
ok "server --handshake-timeout drops a client that never starts a handshake"
# --max-per-addr 1: a second client from 127.0.0.1 evicts the first (a
# silent one) and is served.
"$FREEPORT" hold "$SRV_PORT" > "$T/hold3.out" 2>&1 &
hpid=$!
track $hpid
sleep 0.3
printf 'hi\n' | timeout 30 "$CLIENT" --cafile "$C/ca.pem" --wait 1 \
  "localhost:$SRV_PORT" > "$T/cap.out" 2> "$T/cap.err" ||
  fail "client under --max-per-addr 1: $(cat "$T/cap.err")"
[ "$(cat "$T/cap.out")" = hi ] || fail "no echo under --max-per-addr 1"
wait_grep "$T/hto.err" "closed: evicted (oldest handshake, .*--max-per-addr reached" 10 ||
  fail "no eviction logged for --max-per-addr"
wait $hpid
ok "server --max-per-addr 1: a new client from the same address evicts the silent one"
stop $SRV_PID

done_testing
