#!/bin/sh
# Key exchange groups through the tools (--groups), against openssl
# s_server -groups and s_client -groups: the group chosen, the one both
# sides report, and a list refused before any connection.
. "$TLSW_CLI_LIB"

printf 'hello\n' > "$T/a.in"
# --- tlsw-client --groups -> openssl s_server ---
start_openssl grp -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev \
  -groups "P-384:P-256:X25519"
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --groups P-256 \
  "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client --groups P-256: exit $RC"
grep -q "^\* group:    P-256$" "$T/a.err" || fail "no 'group: P-256': $(cat "$T/a.err")"
ok "tlsw-client --groups P-256 -> s_server: P-256"
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client, default groups: exit $RC"
grep -q "^\* group:    X25519$" "$T/a.err" || fail "default not X25519: $(grep group "$T/a.err")"
ok "tlsw-client default groups -> s_server: X25519 (our key share)"
# In TLS 1.2 the list also names the curves an ECDSA certificate may use
# (RFC 8422 5.1): the server's P-256 key needs P-256 in it.
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --tls-max 1.2 \
  --groups secp384r1:P-256 "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client TLS 1.2 --groups secp384r1:P-256: exit $RC"
grep -q "^\* group:    P-384$" "$T/a.err" || fail "TLS 1.2 not P-384: $(grep group "$T/a.err")"
ok "tlsw-client -tls1_2 --groups secp384r1:P-256 -> s_server: P-384"
stop $SRV_PID

start_openssl grp2 -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev \
  -groups "X25519"
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" --groups P-256 \
  "localhost:$SRV_PORT"
[ $RC = 5 ] || fail "client --groups P-256 vs X25519-only server: exit $RC"
grep -q "key exchange group (--groups)" "$T/a.err" || fail "no --groups hint: $(cat "$T/a.err")"
ok "tlsw-client --groups P-256 -> s_server -groups X25519: refused (exit $RC)"
stop $SRV_PID

expect_rc 2 badgroups "$CLIENT" --groups "X25519:P-999" --cafile "$C/ca.pem" localhost:1
grep -q "bad --groups: set_groups: unknown group 'P-999'" "$T/badgroups.err" ||
  fail "bad --groups message: $(cat "$T/badgroups.err")"
ok "tlsw-client --groups X25519:P-999: usage error naming the group"

# --- openssl s_client -> tlsw-server --groups ---
start_server srv --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --groups "P-256:P-384"
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  -groups "X25519:P-384:P-256" < /dev/null > "$T/sc.out" 2>&1
# s_client's one key share (X25519) is not in the list: the server asks
# for its own first choice the client supports (HelloRetryRequest).
grep -q "Server Temp Key: ECDH, prime256v1" "$T/sc.out" ||
  fail "s_client: $(grep -i 'temp key' "$T/sc.out")"
wait_grep "$T/srv.err" " group=P-256 " 10 || fail "server log has no group=P-256: $(cat "$T/srv.err")"
ok "s_client -groups X25519:P-384:P-256 -> tlsw-server --groups P-256:P-384: P-256 (HelloRetryRequest)"
stop $SRV_PID

done_testing
