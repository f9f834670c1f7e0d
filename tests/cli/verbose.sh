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

done_testing
