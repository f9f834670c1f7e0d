#!/bin/sh
# --msg: a trace of records and handshake messages both ways, like
# openssl s_client -msg: TLS 1.2 against openssl s_server (plaintext
# handshake messages named, then encrypted), TLS 1.3 against tlsw-server
# (both tools trace), and the alert of a refused certificate.
. "$TLSW_CLI_LIB"

start_openssl s12 -tls1_2 -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
echo hi | "$CLIENT" --msg --cafile "$C/ca.pem" --wait 0 "localhost:$SRV_PORT" \
  > "$T/c12.out" 2> "$T/c12.err" || fail "TLS 1.2 --msg: $(cat "$T/c12.err")"
for want in '^>>> TLS Handshake \[length [0-9a-f]\{4\}\], ClientHello$' \
  '^<<< TLS Handshake \[length [0-9a-f]\{4\}\], ServerHello$' \
  '^<<< TLS Handshake \[length [0-9a-f]\{4\}\], Certificate$' \
  '^<<< TLS Handshake \[length [0-9a-f]\{4\}\], ServerKeyExchange$' \
  '^<<< TLS Handshake \[length 0000\], ServerHelloDone$' \
  '^>>> TLS Handshake \[length [0-9a-f]\{4\}\], ClientKeyExchange$' \
  '^>>> TLS ChangeCipherSpec \[length 0001\]$' \
  '^>>> TLS Handshake \[length [0-9a-f]\{4\}\] (encrypted)$' \
  '^>>> TLS ApplicationData \[length [0-9a-f]\{4\}\] (encrypted)$'; do
  grep -q -- "$want" "$T/c12.err" || fail "TLS 1.2 trace lacks /$want/: $(cat "$T/c12.err")"
done
stop $SRV_PID
ok "--msg against openssl s_server -tls1_2: every handshake message named"

start_server s13 --cert "$C/server-ec.pem" --key "$C/server-ec.key" --msg
echo hi | "$CLIENT" --msg --cafile "$C/ca.pem" --wait 0 "localhost:$SRV_PORT" \
  > "$T/c13.out" 2> "$T/c13.err" || fail "TLS 1.3 --msg: $(cat "$T/c13.err")"
grep -q '^>>> TLS Handshake \[length [0-9a-f]*\], ClientHello$' "$T/c13.err" &&
  grep -q '^<<< TLS ApplicationData \[length [0-9a-f]*\] (encrypted)$' "$T/c13.err" ||
  fail "client TLS 1.3 trace: $(cat "$T/c13.err")"
wait_grep "$T/s13.err" '^tlsw-server: <<< TLS Handshake \[length [0-9a-f]*\], ClientHello$' 10 &&
  wait_grep "$T/s13.err" '^tlsw-server: >>> TLS Handshake \[length [0-9a-f]*\], ServerHello$' 10 ||
  fail "server trace: $(cat "$T/s13.err")"
ok "--msg on both tools, TLS 1.3: the plaintext hellos, then encrypted records"

start_openssl bad -tls1_2 -cert "$C/server-ec.pem" -key "$C/server-ec.key" -rev
expect_rc 4 alert "$CLIENT" --msg --cafile "$C/other-ca.pem" "localhost:$SRV_PORT"
grep -q '^>>> TLS Alert \[length 0002\], fatal unknown_ca (48)$' "$T/alert.err" ||
  fail "no alert in the trace: $(cat "$T/alert.err")"
ok "--msg shows the alert the client sends for an unknown CA"
done_testing
