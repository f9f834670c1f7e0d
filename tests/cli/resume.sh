#!/bin/sh
# Session resumption through the tools, against OpenSSL: tlsw-client
# --sess-out/--sess-in against openssl s_server, openssl s_client
# -sess_out/-sess_in against tlsw-server (tickets on by default, and
# --no-tickets), TLS 1.3 and 1.2, and the refusals.
. "$TLSW_CLI_LIB"

if ! "$CLIENT" --version | grep -q " resumption"; then
  expect_rc 2 nores "$CLIENT" --sess-in /nonexistent --cafile "$C/ca.pem" localhost:1
  ok "build without resumption: --sess-in of a missing file is a usage error"
  done_testing
fi
printf 'hello\n' > "$T/a.in"

# --- tlsw-client -> openssl s_server ---
start_openssl rev -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
for v in 1_3 1_2; do
  rm -f "$T/s$v"
  relay a 6 "$CLIENT" -v -tls$v --wait 0 --cafile "$C/ca.pem" \
    --sess-out "$T/s$v" "localhost:$SRV_PORT"
  [ $RC = 0 ] || fail "-tls$v --sess-out: exit $RC: $(cat "$T/a.err")"
  grep -q "^\* session:  new$" "$T/a.err" || fail "first -tls$v handshake not 'new'"
  [ -s "$T/s$v" ] || fail "-tls$v: no session saved: $(cat "$T/a.err")"
  [ "$(stat -c %a "$T/s$v")" = 600 ] || fail "--sess-out file is not mode 600"
  relay a 6 "$CLIENT" -v -tls$v --wait 0 --cafile "$C/ca.pem" \
    --sess-in "$T/s$v" "localhost:$SRV_PORT"
  [ $RC = 0 ] || fail "-tls$v --sess-in: exit $RC: $(cat "$T/a.err")"
  grep -q "^\* session:  resumed$" "$T/a.err" || fail "-tls$v not resumed: $(cat "$T/a.err")"
  grep -q "verification: ok" "$T/a.err" || fail "-tls$v resumed session not verified"
  [ "$(cat "$T/a.got")" = olleh ] || fail "-tls$v resumed: got '$(cat "$T/a.got")'"
  ok "tlsw-client -tls$v --sess-out then --sess-in -> s_server: resumed, still verified"
done
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --servername other.test \
  --sess-in "$T/s1_3" "localhost:$SRV_PORT"
[ $RC = 2 ] || fail "--sess-in for another name: exit $RC, expected 2"
grep -q "another server_hostname" "$T/a.err" || fail "host mismatch message: $(cat "$T/a.err")"
ok "tlsw-client --sess-in with another --servername: refused (exit 2)"
printf 'junk' > "$T/junk"
expect_rc 2 junk "$CLIENT" --sess-in "$T/junk" --cafile "$C/ca.pem" "localhost:$SRV_PORT"
grep -q "not a session saved by tlsw_session_save" "$T/junk.err" ||
  fail "junk --sess-in message: $(cat "$T/junk.err")"
ok "tlsw-client --sess-in of a file that is no session: refused (exit 2)"
stop $SRV_PID

# --- openssl s_client -> tlsw-server ---
start_server srv --cert "$C/server-ec.pem" --key "$C/server-ec.key"
for v in 1_3 1_2; do
  rm -f "$T/o$v"
  (echo hi; sleep 1) | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" -tls$v -sess_out "$T/o$v" > "$T/sc1.out" 2>&1
  grep -q "^New, TLSv1" "$T/sc1.out" || fail "s_client -tls$v first: $(grep -E '^(New|Reused)' "$T/sc1.out")"
  if [ $v = 1_3 ]; then
    grep -q "New Session Ticket arrived" "$T/sc1.out" || fail "no TLS 1.3 ticket by default"
  fi
  (echo hi; sleep 1) | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" -tls$v -sess_in "$T/o$v" > "$T/sc2.out" 2>&1
  grep -q "^Reused, TLSv1" "$T/sc2.out" || fail "s_client -tls$v not reused: $(grep -E '^(New|Reused)' "$T/sc2.out")"
  wait_lines "$T/srv.err" " resumed " $([ $v = 1_3 ] && echo 1 || echo 2) 10 ||
    fail "server log has no 'resumed': $(cat "$T/srv.err")"
  ok "s_client -tls$v -sess_out/-sess_in -> tlsw-server: Reused, logged 'resumed'"
done
stop $SRV_PID
start_server nt --cert "$C/server-ec.pem" --key "$C/server-ec.key" --no-tickets
rm -f "$T/nt"
(echo hi; sleep 1) | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
  -CAfile "$C/ca.pem" -tls1_3 -sess_out "$T/nt" > "$T/sc1.out" 2>&1
grep -q "^New, TLSv1.3" "$T/sc1.out" || fail "--no-tickets: no TLS 1.3 handshake"
if grep -q "New Session Ticket arrived" "$T/sc1.out"; then
  fail "--no-tickets: the server sent a ticket"
fi
ok "tlsw-server --no-tickets: no TLS 1.3 ticket, so nothing to resume"
stop $SRV_PID

# --- tlsw-client -> tlsw-server ---
start_server srv2 --cert "$C/server-ec.pem" --key "$C/server-ec.key"
rm -f "$T/tt"
relay a 5 "$CLIENT" --wait 0 --cafile "$C/ca.pem" --sess-out "$T/tt" "localhost:$SRV_PORT"
[ -s "$T/tt" ] || fail "tlsw -> tlsw: no session saved: $(cat "$T/a.err")"
relay a 5 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --sess-in "$T/tt" "localhost:$SRV_PORT"
grep -q "^\* session:  resumed$" "$T/a.err" || fail "tlsw -> tlsw not resumed"
wait_grep "$T/srv2.err" " resumed " 10 || fail "tlsw-server did not log the resumption"
ok "tlsw-client --sess-in -> tlsw-server: resumed on both ends"
stop $SRV_PID

# --- a fleet: tickets sealed with a shared secret (--ticket-key) resume on
# another tlsw-server process; a server with another secret does a full
# handshake; after a rotation (--ticket-key-prev) the old ticket resumes.
head -c 48 /dev/urandom > "$T/k1"
head -c 48 /dev/urandom > "$T/k2"
fleet_get() { # name file args: s_client -sess_out to a new server
  n=$1
  f=$2
  shift 2
  start_server "$n" --cert "$C/server-ec.pem" --key "$C/server-ec.key" "$@"
  rm -f "$f"
  (echo hi; sleep 1) | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" -tls$v -sess_out "$f" > "$T/$n.sc" 2>&1
  stop $SRV_PID
}
fleet_try() { # name file args: s_client -sess_in; prints New or Reused
  n=$1
  f=$2
  shift 2
  start_server "$n" --cert "$C/server-ec.pem" --key "$C/server-ec.key" "$@"
  (echo hi; sleep 1) | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" -tls$v -sess_in "$f" > "$T/$n.sc" 2>&1
  stop $SRV_PID
  sed -n 's/^\(New\|Reused\), TLSv1.*/\1/p' "$T/$n.sc" | head -n 1
}
for v in 1_3 1_2; do
  fleet_get fa$v "$T/f$v" --ticket-key "$T/k1"
  [ "$(fleet_try fb$v "$T/f$v" --ticket-key "$T/k1")" = Reused ] ||
    fail "-tls$v: a ticket from server A did not resume on server B"
  [ "$(fleet_try fc$v "$T/f$v" --ticket-key "$T/k2")" = New ] ||
    fail "-tls$v: another secret resumed"
  [ "$(fleet_try fd$v "$T/f$v")" = New ] || fail "-tls$v: own keys resumed"
  [ "$(fleet_try fe$v "$T/f$v" --ticket-key "$T/k2" --ticket-key-prev "$T/k1")" = Reused ] ||
    fail "-tls$v: the previous secret was not accepted"
  ok "-tls$v fleet: --ticket-key shared across processes, other keys refused, rotation kept"
done
head -c 16 /dev/urandom > "$T/short"
expect_rc 2 shortkey "$SERVER" --port 0 --cert "$C/server-ec.pem" \
  --key "$C/server-ec.key" --ticket-key "$T/short"
grep -q "32 to 64 bytes" "$T/shortkey.err" || fail "short key: $(cat "$T/shortkey.err")"
ok "--ticket-key with 16 bytes: usage error"
done_testing
