#!/bin/sh
# tlsw-client --starttls smtp|imap|pop3 against a plaintext server written
# for the test (starttls_server.py: greeting, STARTTLS, then Python's ssl
# module), 127.0.0.1 only; a server that refuses STARTTLS is exit 5.
. "$TLSW_CLI_LIB"
PY=$(dirname "$TLSW_CLI_LIB")/starttls_server.py

# start_py NAME PROTO [refuse]: sets SRV_PID, SRV_PORT.
start_py() {
  python3 "$PY" "$2" "$C/server-ec.pem" "$C/server-ec.key" ${3:-} \
    > "$T/$1.port" 2> "$T/$1.log" &
  SRV_PID=$!
  track $SRV_PID
  wait_grep "$T/$1.port" "^[0-9]" 10 || fail "$1: server did not start: $(cat "$T/$1.log")"
  SRV_PORT=$(head -n 1 "$T/$1.port")
}

for proto in smtp imap pop3; do
  start_py $proto $proto
  printf 'hello %s\n' $proto > "$T/$proto.in"
  relay $proto 25 "$CLIENT" -v --wait 5 --starttls $proto --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  [ $RC = 0 ] || fail "$proto: exit $RC: $(cat "$T/$proto.err") / $(cat "$T/$proto.log")"
  grep -q "^over TLS: hello $proto$" "$T/$proto.got" || fail "$proto: got $(cat "$T/$proto.got")"
  grep -q "verification: ok" "$T/$proto.err" || fail "$proto: not verified"
  wait $SRV_PID || fail "$proto: the server failed: $(cat "$T/$proto.log")"
  ok "--starttls $proto: plaintext exchange, then a verified TLS session"

  start_py ${proto}r $proto refuse
  expect_rc 5 ${proto}r "$CLIENT" --starttls $proto --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  [ "$(wc -l < "$T/${proto}r.err")" = 1 ] &&
    grep -q "STARTTLS failed at the STARTTLS: the server said" "$T/${proto}r.err" ||
    fail "$proto refused: $(cat "$T/${proto}r.err")"
  stop $SRV_PID
  ok "--starttls $proto refused by the server: one line quoting it, exit 5"
done

expect_rc 2 badproto "$CLIENT" --starttls ftp localhost:21
expect_rc 2 dtls "$CLIENT" --starttls smtp --dtls localhost:25
ok "--starttls ftp and --starttls with --dtls are usage errors"

done_testing
