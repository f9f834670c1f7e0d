#!/bin/sh
# CRLs through the tools (--crl), on the test PKI's CRLs (made by openssl
# ca): tlsw-client refusing a revoked server (exit 4, the reason named)
# and taking a good one, tlsw-server checking client certificates, openssl
# s_client -crl_check agreeing on the same files, and bad --crl files.
. "$TLSW_CLI_LIB"

printf 'hi\n' > "$T/a.in"
start_server rev --cert "$C/server-revoked.pem" --key "$C/server-revoked.key"
expect_rc 4 revoked "$CLIENT" --wait 0 --cafile "$C/ca.pem" \
  --crl "$C/ca-revoked.crl.pem" "localhost:$SRV_PORT"
grep -q "certificate revoked" "$T/revoked.err" || fail "no reason: $(cat "$T/revoked.err")"
ok "tlsw-client --crl: a revoked server is refused (exit 4, 'certificate revoked')"
relay a 3 "$CLIENT" --wait 0 --cafile "$C/ca.pem" --crl "$C/ca-empty.crl.pem" \
  "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "empty CRL: exit $RC: $(cat "$T/a.err")"
ok "tlsw-client --crl with a CRL that revokes nothing: accepted"
# The fixtures say what they should: OpenSSL refuses the same server.
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" \
  -CRL "$C/ca-revoked.crl.pem" -crl_check -verify_return_error \
  < /dev/null > "$T/sc.out" 2>&1
grep -q "certificate revoked" "$T/sc.out" || fail "openssl does not see it revoked"
ok "openssl s_client -crl_check refuses the same server"
stop $SRV_PID

start_server good --cert "$C/server-ec.pem" --key "$C/server-ec.key"
relay a 3 "$CLIENT" --wait 0 --cafile "$C/ca.pem" \
  --crl "$C/ca-revoked.crl.der" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "DER CRL, good server: exit $RC: $(cat "$T/a.err")"
ok "tlsw-client --crl (DER): a server not on the list is accepted"
stop $SRV_PID

start_server mtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --client-ca "$C/ca.pem" --crl "$C/ca-revoked.crl.pem"
printf 'ping\n' > "$T/b.in"
relay b 5 openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$SRV_PORT" \
  -CAfile "$C/ca.pem" -cert "$C/client.pem" -key "$C/client.key"
cmp -s "$T/b.in" "$T/b.got" || fail "client cert with --crl: $(cat "$T/b.err")"
wait_grep "$T/mtls.err" 'client-cert="CN=client"' 10 || fail "client not logged"
ok "tlsw-server --crl: a client certificate not on the list is accepted"
stop $SRV_PID

expect_rc 2 badcrl "$CLIENT" --cafile "$C/ca.pem" --crl "$C/ca.pem" localhost:1
grep -q "cannot load --crl" "$T/badcrl.err" || fail "bad --crl: $(cat "$T/badcrl.err")"
expect_rc 2 nosigner "$CLIENT" --cafile "$C/ca.pem" \
  --crl "$C/other-ca.crl.pem" localhost:1
grep -q "load them first\|verif" "$T/nosigner.err" || fail "unverifiable CRL: $(cat "$T/nosigner.err")"
ok "--crl with a certificate, or a CRL no loaded CA signed: usage errors"

done_testing
