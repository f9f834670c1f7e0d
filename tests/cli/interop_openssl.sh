#!/bin/sh
# tlsw-client against openssl s_server, openssl s_client against
# tlsw-server: TLS 1.3 and 1.2, EC and RSA certificates, chosen ciphers,
# client certificates, HTTP.
. "$TLSW_CLI_LIB"

# --- tlsw-client -> openssl s_server ---
printf 'hello\n' > "$T/a.in"
start_openssl rev -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client vs s_server -rev: exit $RC"
[ "$(cat "$T/a.got")" = "olleh" ] || fail "s_server -rev answer: $(cat "$T/a.got")"
grep -q "protocol: TLSv1.3" "$T/a.err" || fail "no TLSv1.3 in -v"
grep -q "subject:  CN=server-ec" "$T/a.err" || fail "no subject in -v"
grep -q "issuer:   CN=tlswrap test ca" "$T/a.err" || fail "no issuer in -v"
grep -q "SANs:     DNS:localhost, IP:127.0.0.1" "$T/a.err" || fail "no SANs"
grep -q "validity: .* UTC to .* UTC (valid" "$T/a.err" || fail "no validity"
grep -q 'verification: ok' "$T/a.err" || fail "no verification result"
grep -q 'handshake: [0-9]* ms' "$T/a.err" || fail "no handshake time"
ok "tlsw-client -> s_server TLS 1.3 (EC), -v summary complete"

# by IP address: the certificate's IP SAN is checked, no SNI is sent
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "client by IP: exit $RC"
grep -q 'name "127.0.0.1" matches' "$T/a.err" || fail "IP SAN not checked"
ok "tlsw-client -> s_server by IP address (IP SAN)"

relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" \
  --ciphers TLS_AES_256_GCM_SHA384 "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client --ciphers: exit $RC"
grep -q "cipher:   TLS_AES_256_GCM_SHA384" "$T/a.err" || fail "--ciphers ignored"
ok "tlsw-client --ciphers TLS_AES_256_GCM_SHA384"
stop $SRV_PID

start_openssl rev12 -cert "$C/server-rsa.pem" -key "$C/server-rsa.key" \
  -rev -tls1_2
relay a 6 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client vs s_server -tls1_2: exit $RC"
grep -q "protocol: TLSv1.2" "$T/a.err" || fail "not TLSv1.2"
grep -q "cipher:   TLS_ECDHE_RSA_WITH_" "$T/a.err" || fail "not ECDHE_RSA"
ok "tlsw-client -> s_server TLS 1.2 (RSA)"
stop $SRV_PID

# client certificate demanded by s_server
start_openssl mtls -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev \
  -Verify 1 -CAfile "$C/ca.pem" -verify_return_error
relay a 6 "$CLIENT" --wait 0 --cafile "$C/ca.pem" --cert "$C/client.pem" \
  --key "$C/client.key" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client certificate: exit $RC"
[ "$(cat "$T/a.got")" = "olleh" ] || fail "mTLS answer"
ok "tlsw-client --cert/--key -> s_server -Verify"

relay a 6 "$CLIENT" --wait 0 --cafile "$C/ca.pem" \
  --cert "$C/client.pem" --key "$C/server-rsa.key" "localhost:$SRV_PORT"
[ $RC = 2 ] || fail "mismatched key: exit $RC, expected 2"
grep -q "key" "$T/a.err" || fail "mismatched key message"
ok "tlsw-client refuses a key that does not match --cert (exit 2)"

relay a 6 "$CLIENT" --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 4 ] || [ $RC = 5 ] || fail "no client cert: exit $RC, expected 4/5"
grep -q -- "--cert" "$T/a.err" || fail "no hint about --cert: $(cat "$T/a.err")"
ok "tlsw-client without the required client cert fails with a hint ($RC)"
stop $SRV_PID

# --get against s_server -WWW (serves files from its working directory)
mkdir "$T/www"
head -c 100000 /dev/urandom | od -An -tx1 > "$T/www/page.txt"
(cd "$T/www" && exec openssl s_server -accept 127.0.0.1:0 \
  -cert "$C/server-ec.pem" -key "$C/server-ec.key" -WWW < /dev/null \
  > "$T/www.log" 2>&1) &
SRV_PID=$!
track $SRV_PID
wait_port "$T/www.log" 10 || fail "s_server -WWW did not start"
expect_rc 0 get "$CLIENT" --cafile "$C/ca.pem" --get /page.txt \
  "localhost:$SRV_PORT"
cmp -s "$T/get.stdout" "$T/www/page.txt" || fail "--get body differs"
ok "tlsw-client --get -> s_server -WWW ($(wc -c < "$T/www/page.txt") bytes)"
stop $SRV_PID

# --- openssl s_client -> tlsw-server ---
start_server echo --cert "$C/server-ec.pem" --key "$C/server-ec.key"
printf 'ping from s_client\n' > "$T/b.in"
relay b 19 openssl s_client -connect "127.0.0.1:$SRV_PORT" -quiet \
  -no_ign_eof -CAfile "$C/ca.pem" -verify_return_error -servername localhost \
  -verify_hostname localhost
[ "$(cat "$T/b.got")" = "ping from s_client" ] || fail "s_client echo: $(cat "$T/b.got")"
ok "s_client -> tlsw-server echo (TLS 1.3, verified)"

relay b 19 openssl s_client -connect "127.0.0.1:$SRV_PORT" -quiet \
  -no_ign_eof -CAfile "$C/ca.pem" -verify_return_error -tls1_2
[ "$(cat "$T/b.got")" = "ping from s_client" ] || fail "s_client 1.2 echo"
wait_grep "$T/echo.err" "TLSv1.2 TLS_ECDHE_ECDSA" 10 || fail "no 1.2 log line"
ok "s_client -tls1_2 -> tlsw-server echo, logged as TLSv1.2"
stop $SRV_PID

head -c 300000 /dev/urandom > "$T/file.bin"
start_server file --cert "$C/server-rsa.pem" --key "$C/server-rsa.key" \
  --file "$T/file.bin"
timeout 60 openssl s_client -connect "127.0.0.1:$SRV_PORT" -quiet \
  -CAfile "$C/ca.pem" -verify_return_error < /dev/null > "$T/file.got" \
  2> "$T/sclient.err"
cmp -s "$T/file.got" "$T/file.bin" || fail "--file via s_client differs"
wait_grep "$T/file.err" "out=300000 .*ok: file sent" 10 || fail "file log line"
ok "s_client <- tlsw-server --file (300000 bytes, RSA)"
stop $SRV_PID

start_server mtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --client-ca "$C/ca.pem"
relay b 19 openssl s_client -connect "127.0.0.1:$SRV_PORT" -quiet \
  -no_ign_eof -CAfile "$C/ca.pem" -cert "$C/client.pem" -key "$C/client.key"
[ "$(cat "$T/b.got")" = "ping from s_client" ] || fail "s_client mTLS echo"
wait_grep "$T/mtls.err" 'client-cert="CN=client"' 10 || fail "client cert not logged"
ok "s_client -cert -> tlsw-server --client-ca (required)"
timeout 30 openssl s_client -connect "127.0.0.1:$SRV_PORT" -quiet \
  -CAfile "$C/ca.pem" < /dev/null > /dev/null 2>&1
wait_grep "$T/mtls.err" "handshake failed" 10 || fail "no failure logged"
ok "tlsw-server --client-ca refuses s_client without a certificate"
stop $SRV_PID

done_testing
