#!/bin/sh
# tlsw-client against gnutls-serv, gnutls-cli against tlsw-server.
. "$TLSW_CLI_LIB"

# --- tlsw-client -> gnutls-serv ---
printf 'hello gnutls\n' > "$T/a.in"
start_gnutls echo --echo --x509certfile "$C/server-ec.pem" \
  --x509keyfile "$C/server-ec.key"
relay a 13 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client vs gnutls-serv --echo: exit $RC"
cmp -s "$T/a.in" "$T/a.got" || fail "gnutls echo differs: $(cat "$T/a.got")"
grep -q "protocol: TLSv1.3" "$T/a.err" || fail "not TLSv1.3"
ok "tlsw-client -> gnutls-serv --echo (TLS 1.3)"
stop $SRV_PID

start_gnutls echo12 --echo --x509certfile "$C/server-rsa.pem" \
  --x509keyfile "$C/server-rsa.key" --priority 'NORMAL:-VERS-TLS1.3'
relay a 13 "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client vs gnutls-serv TLS 1.2: exit $RC"
cmp -s "$T/a.in" "$T/a.got" || fail "gnutls 1.2 echo differs"
grep -q "protocol: TLSv1.2" "$T/a.err" || fail "not TLSv1.2"
ok "tlsw-client -> gnutls-serv --echo (TLS 1.2, RSA)"
stop $SRV_PID

# gnutls-serv's default mode is an HTTP server describing the session.
start_gnutls http --x509certfile "$C/server-ec.pem" \
  --x509keyfile "$C/server-ec.key"
expect_rc 0 get "$CLIENT" --cafile "$C/ca.pem" --get / "localhost:$SRV_PORT"
grep -qi "gnutls" "$T/get.stdout" || fail "--get page: $(head -c 300 "$T/get.stdout")"
ok "tlsw-client --get -> gnutls-serv (HTTP mode)"
stop $SRV_PID

start_gnutls mtls --echo --x509certfile "$C/server-ec.pem" \
  --x509keyfile "$C/server-ec.key" --x509cafile "$C/ca.pem" \
  --require-client-cert --verify-client-cert
relay a 13 "$CLIENT" --wait 0 --cafile "$C/ca.pem" --cert "$C/client.pem" \
  --key "$C/client.key" "localhost:$SRV_PORT"
[ $RC = 0 ] || fail "client cert vs gnutls-serv: exit $RC"
cmp -s "$T/a.in" "$T/a.got" || fail "gnutls mTLS echo differs"
ok "tlsw-client --cert -> gnutls-serv --require-client-cert"
stop $SRV_PID

# --- gnutls-cli -> tlsw-server ---
start_server echo --cert "$C/server-ec.pem" --key "$C/server-ec.key"
printf 'ping from gnutls-cli\n' > "$T/b.in"
relay b 21 gnutls-cli --logfile "$T/gnutls-cli.log" --x509cafile "$C/ca.pem" -p "$SRV_PORT" localhost
cmp -s "$T/b.in" "$T/b.got" || fail "gnutls-cli echo: $(cat "$T/b.got") $(cat "$T/b.err")"
ok "gnutls-cli -> tlsw-server echo (TLS 1.3, verified)"
relay b 21 gnutls-cli --logfile "$T/gnutls-cli.log" --x509cafile "$C/ca.pem" -p "$SRV_PORT" \
  --priority 'NORMAL:-VERS-TLS1.3' localhost
cmp -s "$T/b.in" "$T/b.got" || fail "gnutls-cli 1.2 echo"
wait_grep "$T/echo.err" "TLSv1.2" 10 || fail "no TLSv1.2 log line"
ok "gnutls-cli (TLS 1.2) -> tlsw-server echo"
stop $SRV_PID

start_server mtls --cert "$C/server-rsa.pem" --key "$C/server-rsa.key" \
  --client-ca "$C/ca.pem" --verify optional
relay b 21 gnutls-cli --logfile "$T/gnutls-cli.log" --x509cafile "$C/ca.pem" -p "$SRV_PORT" \
  --x509certfile "$C/client.pem" --x509keyfile "$C/client.key" localhost
cmp -s "$T/b.in" "$T/b.got" || fail "gnutls-cli mTLS echo"
wait_grep "$T/mtls.err" 'client-cert="CN=client"' 10 || fail "cert not logged"
relay b 21 gnutls-cli --logfile "$T/gnutls-cli.log" --x509cafile "$C/ca.pem" -p "$SRV_PORT" localhost
cmp -s "$T/b.in" "$T/b.got" || fail "gnutls-cli without cert (optional)"
wait_grep "$T/mtls.err" 'client-cert=none' 10 || fail "no-cert not logged"
ok "gnutls-cli -> tlsw-server --verify optional, with and without a cert"
stop $SRV_PID

done_testing
