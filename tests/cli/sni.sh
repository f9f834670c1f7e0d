#!/bin/sh
# Server SNI through tlsw-server --sni, against openssl s_client
# -servername / -noservername and tlsw-client --servername: the chain
# chosen (EC for the added names, RSA by default), the log's sni=, and the
# option's errors.
. "$TLSW_CLI_LIB"

start_server sni --cert "$C/server-rsa.pem" --key "$C/server-rsa.key" \
  --sni "localhost:$C/server-ec.pem:$C/server-ec.key"
s_client() { # NAME-ARGS...
  timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" "$@" < /dev/null > "$T/sc.out" 2>&1
}
s_client -servername localhost -verify_hostname localhost -verify_return_error
grep -q "Server public key is 256 bit" "$T/sc.out" || fail "localhost: $(grep 'public key' "$T/sc.out")"
grep -q "Verify return code: 0 (ok)" "$T/sc.out" || fail "localhost not verified"
wait_grep "$T/sni.err" " sni=localhost " 10 || fail "no sni=localhost in the log"
ok "s_client -servername localhost -> the --sni chain (EC), verified, logged"
s_client -servername other.test
grep -q "Server public key is 2048 bit" "$T/sc.out" || fail "other.test: $(grep 'public key' "$T/sc.out")"
ok "s_client -servername other.test -> the --cert chain (RSA)"
s_client -noservername
grep -q "Server public key is 2048 bit" "$T/sc.out" || fail "no SNI: $(grep 'public key' "$T/sc.out")"
ok "s_client -noservername -> the --cert chain"
stop $SRV_PID

start_server sni2 --cert "$C/server-rsa.pem" --key "$C/server-rsa.key" \
  --sni "*.example.test:$C/server-ec.pem:$C/server-ec.key"
printf 'hi\n' > "$T/a.in"
relay a 3 "$CLIENT" -v --wait 0 --insecure \
  --servername a.example.test "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "tlsw-client --servername a.example.test: exit $RC"
grep -q "subject:  CN=server-ec$" "$T/a.err" || fail "wildcard: not the EC chain: $(cat "$T/a.err")"
wait_grep "$T/sni2.err" " sni=a.example.test " 10 || fail "no sni=a.example.test"
ok "tlsw-client --servername a.example.test -> the *.example.test chain"
stop $SRV_PID

expect_rc 2 badsni "$SERVER" --port 0 --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa.key" --sni "localhost"
grep -q "NAME:CERT" "$T/badsni.err" || fail "bad --sni: $(cat "$T/badsni.err")"
expect_rc 2 badsni2 "$SERVER" --port 0 --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa.key" --sni "1.2.3.4:$C/server-ec.pem:$C/server-ec.key"
grep -q "not a DNS name" "$T/badsni2.err" || fail "bad --sni name: $(cat "$T/badsni2.err")"
expect_rc 2 badsni3 "$SERVER" --port 0 --cert "$C/server-rsa.pem" \
  --key "$C/server-rsa.key" --sni "a.test:$C/server-ec.pem:$C/server-rsa.key"
ok "--sni without CERT, with an IP, with a key that is not the certificate's: usage errors"

done_testing
