#!/bin/sh
# ALPN (RFC 7301) through the tools, against real peers: openssl s_server
# and s_client with -alpn, gnutls-cli --alpn, curl's h2,http/1.1 offer.
. "$TLSW_CLI_LIB"

# --- tlsw-client -> openssl s_server -alpn ---
printf 'hello\n' > "$T/a.in"
start_openssl alpn -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev \
  -alpn "mqtt,http/1.1"
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --alpn "h2,http/1.1" \
  "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client --alpn vs s_server -alpn: exit $RC"
grep -q "^\* ALPN:     http/1.1$" "$T/a.err" || fail "no 'ALPN: http/1.1' in -v"
ok "tlsw-client --alpn h2,http/1.1 -> s_server -alpn mqtt,http/1.1: http/1.1"
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client without --alpn: exit $RC"
grep -q "^\* ALPN:     (none agreed)$" "$T/a.err" || fail "ALPN without --alpn"
ok "tlsw-client without --alpn: -v says none agreed"
# OpenSSL 3's server refuses a list it does not share (RFC 7301 §3.2).
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --alpn "h2" \
  "localhost:$SRV_PORT"
[ $RC = 5 ] || fail "client --alpn h2 vs mqtt,http/1.1: exit $RC, expected 5"
grep -q "no_application_protocol (120); the server shares none of the ALPN" \
  "$T/a.err" || fail "no ALPN hint: $(cat "$T/a.err")"
ok "tlsw-client --alpn h2 -> s_server without h2: alert named, --alpn hinted"
stop $SRV_PID

expect_rc 2 badalpn "$CLIENT" --alpn "h2,,x" --cafile "$C/ca.pem" localhost:1
grep -q "bad --alpn: set_alpn: a name is empty" "$T/badalpn.err" ||
  fail "bad --alpn message: $(cat "$T/badalpn.err")"
ok "tlsw-client --alpn h2,,x: usage error (exit 2) naming the empty name"

# --- openssl s_client -alpn -> tlsw-server --alpn: server preference ---
start_server srv --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --alpn "h2,http/1.1"
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  -alpn "http/1.1,h2" < /dev/null > "$T/sc.out" 2>&1
grep -q "^ALPN protocol: h2$" "$T/sc.out" || fail "s_client: $(grep ALPN "$T/sc.out")"
wait_grep "$T/srv.err" " alpn=h2 " 10 || fail "server log has no alpn=h2"
ok "s_client -alpn http/1.1,h2 -> tlsw-server --alpn h2,http/1.1: h2 (server's order)"
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  -alpn "spdy/3" < /dev/null > "$T/sc2.out" 2>&1
grep -qi "no application protocol" "$T/sc2.out" ||
  fail "s_client did not get no_application_protocol: $(tail -3 "$T/sc2.out")"
wait_grep "$T/srv.err" "no application protocol (ALPN) in common" 10 ||
  fail "server log does not say why"
ok "s_client -alpn spdy/3 -> tlsw-server: no_application_protocol alert, logged"
timeout 30 gnutls-cli --port "$SRV_PORT" --x509cafile "$C/ca.pem" \
  --alpn http/1.1 --alpn h2 localhost < /dev/null > "$T/gc.out" 2>&1
grep -q "Application protocol: h2" "$T/gc.out" ||
  fail "gnutls-cli: $(grep -i alpn "$T/gc.out")"
ok "gnutls-cli --alpn http/1.1 --alpn h2 -> tlsw-server: h2"
stop $SRV_PID

# --- curl (offers h2,http/1.1 when built with HTTP/2) -> tlsw-server --http ---
start_server web --cert "$C/server-ec.pem" --key "$C/server-ec.key" --http
curl -sS -v --max-time 20 --cacert "$C/ca.pem" "https://localhost:$SRV_PORT/x" \
  > "$T/curl.out" 2> "$T/curl.err" || fail "curl: $(tail -3 "$T/curl.err")"
grep -q "ALPN.*http/1.1" "$T/curl.err" || fail "curl saw no ALPN: $(grep -i alpn "$T/curl.err")"
wait_grep "$T/web.err" " alpn=http/1.1 " 10 || fail "--http did not agree on http/1.1"
ok "curl -> tlsw-server --http: ALPN http/1.1 agreed"
stop $SRV_PID

done_testing
