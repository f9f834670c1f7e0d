#!/bin/sh
# --tls-min/--tls-max and openssl's -tls1_2/-tls1_3 on both tools, against
# openssl s_server and s_client.
. "$TLSW_CLI_LIB"

printf 'hello\n' > "$T/a.in"
start_openssl rev -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
relay a 6 "$CLIENT" -v -tls1_2 --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client -tls1_2: exit $RC"
grep -q "protocol: TLSv1.2" "$T/a.err" || fail "-tls1_2 did not give TLS 1.2"
ok "tlsw-client -tls1_2 -> s_server: TLSv1.2"
relay a 6 "$CLIENT" -v --tls-max 1.2 --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
grep -q "protocol: TLSv1.2" "$T/a.err" || fail "--tls-max 1.2 did not give TLS 1.2"
ok "tlsw-client --tls-max 1.2 -> s_server: TLSv1.2"
relay a 6 "$CLIENT" -v --tls-min 1.3 --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
grep -q "protocol: TLSv1.3" "$T/a.err" || fail "--tls-min 1.3 did not give TLS 1.3"
ok "tlsw-client --tls-min 1.3 -> s_server: TLSv1.3"
stop $SRV_PID

expect_rc 2 badver "$CLIENT" --tls-min 1.1 --cafile "$C/ca.pem" localhost:1
grep -q "tls-min wants 1.2 or 1.3, not '1.1'" "$T/badver.err" ||
  fail "--tls-min 1.1 message: $(cat "$T/badver.err")"
ok "tlsw-client --tls-min 1.1: usage error (exit 2), older versions refused"
expect_rc 2 badrange "$CLIENT" --tls-min 1.3 --tls-max 1.2 --cafile "$C/ca.pem" localhost:1
grep -q "bad --tls-min/--tls-max" "$T/badrange.err" || fail "min > max message"
ok "tlsw-client --tls-min 1.3 --tls-max 1.2: usage error"

start_server srv --cert "$C/server-ec.pem" --key "$C/server-ec.key" -tls1_3
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  -tls1_2 < /dev/null > "$T/sc.out" 2>&1
wait_grep "$T/srv.err" "handshake failed" 10 || fail "-tls1_3 server took TLS 1.2"
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  < /dev/null > "$T/sc2.out" 2>&1
grep -q "TLSv1.3" "$T/sc2.out" || fail "-tls1_3 server: $(grep -i protocol "$T/sc2.out")"
ok "tlsw-server -tls1_3: refuses s_client -tls1_2, serves TLS 1.3"
stop $SRV_PID

done_testing
