#!/bin/sh
# -v when verification fails: the refused certificate (subject, issuer,
# validity, SANs), the chain as checked and the reason, without --insecure;
# then the usual one-line verdict and exit 4.
. "$TLSW_CLI_LIB"

start_server chain --cert "$C/server-ec-chain.pem" --key "$C/server-ec.key"

expect_rc 4 untrusted "$CLIENT" -v --cafile "$C/other-ca.pem" "localhost:$SRV_PORT"
for want in '^\* peer certificate (refused):' '^\*   subject:  CN=server-ec$' \
  '^\*   issuer:   CN=tlswrap test ca$' '^\*   validity: .* UTC to .* UTC' \
  '^\*   SANs:     DNS:localhost, IP:127.0.0.1$' '^\* chain, as checked' \
  '^\*   depth 1: CN=tlswrap test ca ' '^\*   depth 0: CN=server-ec .*FAILED$' \
  '^\* verification: FAILED at depth 0: unable to get local issuer certificate$' \
  '^tlsw-client: handshake with .* failed: certificate verify failed'; do
  grep -q -- "$want" "$T/untrusted.err" || fail "untrusted -v lacks /$want/: $(cat "$T/untrusted.err")"
done
ok "-v on an untrusted chain: leaf (subject, issuer, validity, SANs), chain, reason; exit 4"

expect_rc 4 name "$CLIENT" -v --cafile "$C/ca.pem" --servername wrong.test \
  "127.0.0.1:$SRV_PORT"
grep -q '^\* verification: FAILED at depth 0: hostname mismatch$' "$T/name.err" &&
  grep -q '^\*   SANs:     DNS:localhost, IP:127.0.0.1$' "$T/name.err" ||
  fail "hostname -v: $(cat "$T/name.err")"
grep -q -- "--insecure shows" "$T/name.err" && fail "hint still sends people to --insecure"
ok "-v on a name mismatch shows the SANs to pick --servername from"

# Without -v the failure stays one line.
expect_rc 4 quiet "$CLIENT" --cafile "$C/other-ca.pem" "localhost:$SRV_PORT"
[ "$(wc -l < "$T/quiet.err")" = 1 ] || fail "without -v: $(cat "$T/quiet.err")"
# A success shows the chain too.
expect_rc 0 good "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
grep -q '^\*   depth 0: CN=server-ec .*, ok$' "$T/good.err" &&
  grep -q '^\* verification: ok' "$T/good.err" || fail "success -v: $(cat "$T/good.err")"
ok "without -v one line; a verified -v handshake lists the chain"
stop $SRV_PID

# --show-certs: what the server sent, as PEM, leaf first (openssl reads it back).
start_server chain --cert "$C/server-ec-chain.pem" --key "$C/server-ec.key"
expect_rc 0 show "$CLIENT" --show-certs --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ "$(grep -c '^-----BEGIN CERTIFICATE-----$' "$T/show.err")" = 2 ] ||
  fail "--show-certs: $(cat "$T/show.err")"
grep -q '^ 0 s:CN=server-ec$' "$T/show.err" && grep -q '^ 1 s:CN=tlswrap test ca$' "$T/show.err" ||
  fail "--show-certs names: $(grep ' s:' "$T/show.err")"
sed -n '/BEGIN CERT/,/END CERT/p' "$T/show.err" | openssl x509 -noout -fingerprint -sha256 > "$T/fp1"
openssl x509 -in "$C/server-ec.pem" -noout -fingerprint -sha256 > "$T/fp2"
cmp -s "$T/fp1" "$T/fp2" || fail "--show-certs PEM is not the server's certificate"
ok "--show-certs prints the leaf and the CA as PEM, in order"
stop $SRV_PID

done_testing
