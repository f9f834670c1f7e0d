#!/bin/sh
# SSLKEYLOGFILE and --keymat-export on both tools, against OpenSSL: the
# key-log lines must be the ones openssl's -keylogfile writes for the same
# connection, and the exported keying material the bytes openssl's
# -keymatexport prints (RFC 5705 / RFC 8446 7.5), TLS 1.3 and 1.2.
. "$TLSW_CLI_LIB"

printf 'hello\n' > "$T/a.in"
# The secret lines of a key-log file, sorted (openssl adds a comment).
lines() { grep -v '^#' "$1" | sort; }

if ! "$CLIENT" --version | grep -q " keylog"; then
  # Debian's 5.5.4 has no secret callbacks: the tools say so and go on.
  start_openssl nolog -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
  SSLKEYLOGFILE="$T/none.keys" relay a 6 "$CLIENT" --wait 0 \
    --cafile "$C/ca.pem" "localhost:$SRV_PORT"
  [ $RC = 0 ] || fail "client with SSLKEYLOGFILE on a build without keylog: exit $RC"
  grep -q "SSLKEYLOGFILE is set, but this build cannot log keys" "$T/a.err" ||
    fail "no keylog warning: $(cat "$T/a.err")"
  [ ! -e "$T/none.keys" ] || fail "a key-log file was made without keylog"
  ok "build without keylog: SSLKEYLOGFILE is refused with a warning, the connection works"
  stop $SRV_PID
else
  for v in 1_3 1_2; do
    rm -f "$T/c.keys" "$T/s.keys"
    start_openssl kl -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev \
      -keylogfile "$T/s.keys"
    SSLKEYLOGFILE="$T/c.keys" relay a 6 "$CLIENT" -tls$v --wait 0 \
      --cafile "$C/ca.pem" "localhost:$SRV_PORT"
    [ $RC = 0 ] || fail "client -tls$v with SSLKEYLOGFILE: exit $RC"
    stop $SRV_PID
    n=$(lines "$T/c.keys" | wc -l)
    want=5
    [ $v = 1_2 ] && want=1
    [ "$n" = $want ] || fail "tls$v: $n key-log lines, expected $want: $(cat "$T/c.keys")"
    lines "$T/c.keys" > "$T/c.sorted"
    lines "$T/s.keys" > "$T/s.sorted"
    cmp -s "$T/c.sorted" "$T/s.sorted" ||
      fail "tls$v: lines differ from openssl's: $(diff "$T/c.sorted" "$T/s.sorted")"
    perm=$(stat -c %a "$T/c.keys")
    [ "$perm" = 600 ] || fail "key-log file mode $perm, expected 600"
    ok "tlsw-client -tls$v SSLKEYLOGFILE: the $want lines openssl s_server -keylogfile wrote (mode 600)"
  done

  rm -f "$T/srv.keys" "$T/sc.keys"
  SSLKEYLOGFILE="$T/srv.keys" start_server srv --cert "$C/server-ec.pem" \
    --key "$C/server-ec.key"
  echo hi | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" -keylogfile "$T/sc.keys" > "$T/sc.out" 2>&1
  wait_lines "$T/srv.keys" "SECRET" 5 10 || fail "server wrote $(wc -l < "$T/srv.keys") lines"
  stop $SRV_PID
  lines "$T/srv.keys" > "$T/srv.sorted"
  lines "$T/sc.keys" > "$T/sc.sorted"
  cmp -s "$T/srv.sorted" "$T/sc.sorted" ||
    fail "server lines differ from s_client's: $(diff "$T/srv.sorted" "$T/sc.sorted")"
  ok "tlsw-server SSLKEYLOGFILE: the lines openssl s_client -keylogfile wrote"
fi

# --- exporter: tlsw-client --keymat-export vs s_server -keymatexport ---
for v in 1_3 1_2; do
  # s_server prints the material only in its interactive mode, which ends
  # at EOF on its stdin: keep that open, through a FIFO held on fd 4 until
  # s_server is stopped. (Not "sleep 30 | s_server": wait on a pipeline
  # waits for the sleep too, 30 s per round, and on a loaded machine the
  # sleep could run out, and s_server with it, before the client is done.)
  rm -f "$T/km.fifo"
  mkfifo "$T/km.fifo"
  openssl s_server -accept 127.0.0.1:0 -cert "$C/server-ec.pem" \
    -key "$C/server-ec.key" -keymatexport "EXPERIMENTAL tlswrap" \
    -keymatexportlen 32 < "$T/km.fifo" > "$T/km.log" 2>&1 &
  SRV_PID=$!
  track $SRV_PID
  exec 4> "$T/km.fifo"
  wait_port "$T/km.log" 10 || fail "s_server did not start"
  relay a 0 "$CLIENT" -tls$v --wait 0 --cafile "$C/ca.pem" \
    --keymat-export "EXPERIMENTAL tlswrap" --keymat-len 32 "localhost:$SRV_PORT"
  [ $RC = 0 ] || fail "client -tls$v --keymat-export: exit $RC: $(cat "$T/a.err")"
  wait_grep "$T/km.log" "Keying material: " 10 || fail "s_server printed no keying material"
  stop $SRV_PID
  exec 4>&-
  theirs=$(sed -n 's/^ *Keying material: *\([0-9A-Fa-f]*\).*/\1/p' "$T/km.log" | head -1)
  ours=$(sed -n "s/^\* keying material: label 'EXPERIMENTAL tlswrap', 32 bytes: \([0-9A-F]*\)$/\1/p" "$T/a.err")
  [ ${#ours} = 64 ] || fail "tls$v: no 32-byte keying material from the client: $(cat "$T/a.err")"
  [ "$ours" = "$(echo "$theirs" | tr a-f A-F)" ] ||
    fail "tls$v: keying material $ours, openssl says $theirs"
  ok "tlsw-client -tls$v --keymat-export: the bytes openssl s_server -keymatexport printed"
done

start_server srv --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --keymat-export "EXPERIMENTAL tlswrap"
echo hi | timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
  -CAfile "$C/ca.pem" -keymatexport "EXPERIMENTAL tlswrap" > "$T/sc.out" 2>&1
wait_grep "$T/srv.err" " keymat=" 10 || fail "server log has no keymat="
stop $SRV_PID
theirs=$(sed -n 's/^ *Keying material: *\([0-9A-Fa-f]*\).*/\1/p' "$T/sc.out" | head -1)
ours=$(sed -n 's/.* keymat=\([0-9A-F]*\) .*/\1/p' "$T/srv.err" | head -1)
[ ${#ours} = 40 ] || fail "server keymat is not 20 bytes: $(cat "$T/srv.err")"
[ "$ours" = "$(echo "$theirs" | tr a-f A-F)" ] ||
  fail "server keymat $ours, s_client says $theirs"
ok "tlsw-server --keymat-export (default 20 bytes): what openssl s_client -keymatexport printed"

expect_rc 2 badkm "$CLIENT" --keymat-len 0 --cafile "$C/ca.pem" localhost:1
grep -q "keymat-len wants a byte count from 1 to 128" "$T/badkm.err" ||
  fail "--keymat-len 0 message: $(cat "$T/badkm.err")"
ok "tlsw-client --keymat-len 0: usage error (exit 2)"
start_openssl km2 -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
relay a 6 "$CLIENT" --wait 0 --cafile "$C/ca.pem" --keymat-export "master secret" \
  "localhost:$SRV_PORT"
stop $SRV_PID
[ $RC = 2 ] || fail "reserved label: exit $RC, expected 2"
grep -q "label is one TLS itself uses" "$T/a.err" || fail "reserved label message: $(cat "$T/a.err")"
ok "tlsw-client --keymat-export 'master secret': refused, the label is TLS's own"
done_testing
