#!/bin/sh
# DTLS 1.2: tlsw-client --dtls against tlsw-server --dtls (one client, then
# 50 at once), openssl and gnutls in both directions, refused UDP port.
. "$TLSW_CLI_LIB"

# The clients name 127.0.0.1, not localhost: on a host whose /etc/hosts
# maps localhost to ::1 first (Debian's default), a UDP client only learns
# that nothing listens on [::1] when its first datagram is refused, and
# then moves on to 127.0.0.1; that fallback is dtls_fallback.sh's, and
# these tests stay about DTLS itself.
start_server dtls --dtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --max-clients 200 --timeout 60
printf 'hello over dtls\n' > "$T/a.in"
relay a 16 "$CLIENT" -v --dtls --wait 0 --cafile "$C/ca.pem" \
  --servername localhost "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "dtls echo: exit $RC"
cmp -s "$T/a.in" "$T/a.got" || fail "dtls echo differs"
grep -q "protocol: DTLSv1.2" "$T/a.err" || fail "not DTLSv1.2"
wait_grep "$T/dtls.err" "DTLSv1.2 .* in=16 out=16 .*ok: client closed" 10 ||
  fail "server log line"
ok "tlsw-client --dtls -> tlsw-server --dtls echo, close_notify logged"

# A record holds at most one datagram's payload: 5000 bytes of stdin must
# arrive intact, split across records.
head -c 5000 /dev/urandom > "$T/big.in"
relay big 5000 "$CLIENT" --dtls --wait 0 --cafile "$C/ca.pem" \
  --servername localhost "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "dtls 5000 bytes: exit $RC: $(cat "$T/big.err")"
cmp -s "$T/big.in" "$T/big.got" || fail "dtls 5000 bytes differ"
ok "tlsw-client --dtls splits stdin into datagram-sized records"

# N clients at once, each ping-ponging 10 distinct lines (UDP has no flow
# control: waiting for each echo keeps the test free of datagram loss).
N=${TLSW_CLI_CLIENTS:-50}
i=1
while [ $i -le $N ]; do
  mkfifo "$T/d$i.fifo"
  : > "$T/d$i.got"
  timeout 120 "$CLIENT" -v --dtls --timeout 60 --wait 0 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT" < "$T/d$i.fifo" > "$T/d$i.got" 2> "$T/d$i.err" &
  cpid=$!
  echo $cpid > "$T/d$i.pid"
  track $cpid
  (
    n=0
    while [ ! -f "$T/go" ] && [ $n -lt 1200 ]; do n=$((n + 1)); sleep 0.1; done
    k=1
    while [ $k -le 10 ]; do
      line=$(printf 'client %03d line %02d %s' $i $k "$(head -c 60 /dev/urandom | od -An -tx1 | tr -d ' \n')")
      echo "$line" >> "$T/d$i.want"
      echo "$line"
      n=0
      while kill -0 $cpid 2>/dev/null &&
        [ "$(wc -c < "$T/d$i.got")" -lt "$(wc -c < "$T/d$i.want")" ] &&
        [ $n -lt 300 ]; do
        n=$((n + 1))
        sleep 0.1
      done
      k=$((k + 1))
    done
  ) > "$T/d$i.fifo" 2>/dev/null &
  track $!
  i=$((i + 1))
done
# Barrier: all N handshakes done before anyone sends, so all N are
# connected at once.
wait_files "$T" 'd*.err' '^\* handshake:' $N 90 ||
  fail "only $(grep -l '^\* handshake:' "$T"/d*.err | wc -l) of $N DTLS handshakes done"
touch "$T/go"
i=1
while [ $i -le $N ]; do
  wait "$(cat "$T/d$i.pid")"
  rc=$?
  [ $rc = 0 ] || fail "dtls client $i: exit $rc: $(tail -1 "$T/d$i.err")"
  cmp -s "$T/d$i.want" "$T/d$i.got" || fail "dtls client $i: echo differs"
  i=$((i + 1))
done
wait_lines "$T/dtls.err" 'DTLSv1.2 .*ok: client closed' $((N + 2)) 10 ||
  fail "server logged $(grep -c 'ok: client closed' "$T/dtls.err") DTLS closes"
stop $SRV_PID
grep -q "at most $N at once" "$T/dtls.err" || fail "DTLS peak: $(tail -1 "$T/dtls.err")"
ok "$N concurrent DTLS clients (all connected at once), 10 echoed lines each, all identical"

# --- openssl ---
start_server dtls2 --dtls --cert "$C/server-rsa.pem" --key "$C/server-rsa.key"
printf 'ping from s_client\n' > "$T/b.in"
relay b 19 openssl s_client -dtls1_2 -connect "127.0.0.1:$SRV_PORT" -quiet \
  -no_ign_eof -CAfile "$C/ca.pem" -verify_return_error -servername localhost
cmp -s "$T/b.in" "$T/b.got" || fail "s_client -dtls1_2 echo: $(cat "$T/b.got")"
ok "openssl s_client -dtls1_2 -> tlsw-server --dtls (HelloVerify, echo)"
relay b 19 gnutls-cli --logfile "$T/gnutls-cli.log" --udp \
  --x509cafile "$C/ca.pem" -p "$SRV_PORT" localhost
cmp -s "$T/b.in" "$T/b.got" || fail "gnutls-cli --udp echo: $(cat "$T/b.got")"
ok "gnutls-cli --udp -> tlsw-server --dtls"
stop $SRV_PID

# openssl s_server -dtls1_2 has no echo mode: it prints what it receives
# and sends what it reads on stdin (a FIFO here).
mkfifo "$T/ss.fifo"
openssl s_server -dtls1_2 -accept 127.0.0.1:0 -cert "$C/server-ec.pem" \
  -key "$C/server-ec.key" < "$T/ss.fifo" > "$T/ossl.log" 2>&1 &
SRV_PID=$!
track $SRV_PID
exec 5> "$T/ss.fifo"
wait_port "$T/ossl.log" 10 || fail "s_server -dtls1_2 did not start"
printf 'from tlsw-client\n' > "$T/c.in"
mkfifo "$T/c.fifo"
timeout 60 "$CLIENT" -v --dtls --wait 0 --cafile "$C/ca.pem" \
  --servername localhost "127.0.0.1:$SRV_PORT" < "$T/c.fifo" > "$T/c.got" 2> "$T/c.err" &
cpid=$!
track $cpid
exec 6> "$T/c.fifo"
wait_grep "$T/c.err" '^\* handshake:' 10 || fail "handshake with s_server -dtls"
cat "$T/c.in" >&6
wait_grep "$T/ossl.log" "^from tlsw-client" 10 || fail "s_server got nothing"
echo "from s_server" >&5
wait_grep "$T/c.got" "^from s_server" 10 || fail "client got nothing"
exec 6>&-
wait $cpid || fail "client vs s_server -dtls1_2: exit $?"
exec 5>&-
ok "tlsw-client --dtls <-> openssl s_server -dtls1_2, both directions"
stop $SRV_PID

start_gnutls gecho udp --echo --x509certfile "$C/server-ec.pem" \
  --x509keyfile "$C/server-ec.key"
relay a 16 "$CLIENT" --dtls --wait 0 --cafile "$C/ca.pem" --servername localhost "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "client vs gnutls-serv --udp: exit $RC: $(cat "$T/a.err")"
cmp -s "$T/a.in" "$T/a.got" || fail "gnutls-serv --udp echo differs"
ok "tlsw-client --dtls -> gnutls-serv --udp --echo"
stop $SRV_PID

# DTLS 1.3 (where the build has it: no Debian peer speaks it, so tlswrap
# against itself): --tls-max 1.3 on both ends negotiates DTLSv1.3, shown by
# -v and logged; a client without it still gets DTLS 1.2 from the same
# server; -tls1_3 against a DTLS 1.2-only server fails.
if "$CLIENT" --version | grep -q "DTLS1.3"; then
  start_server d13 --dtls --tls-max 1.3 --cert "$C/server-ec.pem" \
    --key "$C/server-ec.key"
  relay a 16 "$CLIENT" -v --dtls --tls-max 1.3 --wait 0 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT"
  [ $RC = 0 ] || fail "dtls 1.3 echo: exit $RC: $(cat "$T/a.err")"
  cmp -s "$T/a.in" "$T/a.got" || fail "dtls 1.3 echo differs"
  grep -q "protocol: DTLSv1.3" "$T/a.err" || fail "not DTLSv1.3: $(cat "$T/a.err")"
  wait_grep "$T/d13.err" "DTLSv1.3 .* in=16 out=16 .*ok: client closed" 10 ||
    fail "server log line (DTLS 1.3)"
  relay a 16 "$CLIENT" -v --dtls --wait 0 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT"
  [ $RC = 0 ] || fail "dtls 1.2 client, 1.3 server: exit $RC"
  grep -q "protocol: DTLSv1.2" "$T/a.err" || fail "1.2 client got: $(cat "$T/a.err")"
  relay a 16 "$CLIENT" -v --dtls -tls1_3 --wait 0 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT"
  [ $RC = 0 ] || fail "dtls -tls1_3: exit $RC"
  grep -q "protocol: DTLSv1.3" "$T/a.err" || fail "-tls1_3 got: $(cat "$T/a.err")"
  stop $SRV_PID
  # Connection IDs on both ends: agreed on (the server logs cid=8); a
  # client without them is still served; --dtls-cid on a DTLS 1.2 context
  # is a usage error that says why.
  start_server dcid --dtls --tls-max 1.3 --dtls-cid --cert "$C/server-ec.pem" \
    --key "$C/server-ec.key"
  relay a 16 "$CLIENT" -v --dtls --tls-max 1.3 --dtls-cid --wait 0 \
    --cafile "$C/ca.pem" --servername localhost "127.0.0.1:$SRV_PORT"
  [ $RC = 0 ] || fail "dtls-cid echo: exit $RC: $(cat "$T/a.err")"
  cmp -s "$T/a.in" "$T/a.got" || fail "dtls-cid echo differs"
  wait_grep "$T/dcid.err" "DTLSv1.3 .* cid=8 in=16 out=16 .*ok: client closed" 10 ||
    fail "no cid=8 logged: $(cat "$T/dcid.err")"
  relay a 16 "$CLIENT" --dtls --tls-max 1.3 --wait 0 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT"
  [ $RC = 0 ] || fail "client without --dtls-cid: exit $RC"
  stop $SRV_PID
  expect_rc 2 cid12 "$CLIENT" --dtls --dtls-cid --cafile "$C/ca.pem" 127.0.0.1:9
  grep -q "1.3" "$T/cid12.err" || fail "--dtls-cid on 1.2: $(cat "$T/cid12.err")"
  expect_rc 2 cidtls "$CLIENT" --dtls-cid --cafile "$C/ca.pem" 127.0.0.1:9
  grep -q "add --dtls" "$T/cidtls.err" || fail "--dtls-cid without --dtls: $(cat "$T/cidtls.err")"
  start_server d12 --dtls --cert "$C/server-ec.pem" --key "$C/server-ec.key"
  expect_rc 5 d13to12 "$CLIENT" --dtls -tls1_3 --timeout 5 --cafile "$C/ca.pem" \
    --servername localhost "127.0.0.1:$SRV_PORT"
  stop $SRV_PID
  ok "tlsw-client --dtls --tls-max 1.3 <-> tlsw-server --dtls --tls-max 1.3: DTLSv1.3 (-v, log); a 1.2 client still served; -tls1_3 vs a 1.2 server fails; --dtls-cid agreed on (cid=8 logged), refused on DTLS 1.2 and without --dtls"
else
  expect_rc 2 d13none "$CLIENT" --dtls -tls1_3 --cafile "$C/ca.pem" 127.0.0.1:9
  grep -q "DTLS 1.3" "$T/d13none.err" || fail "no DTLS 1.3 message: $(cat "$T/d13none.err")"
  expect_rc 2 cidnone "$CLIENT" --dtls --dtls-cid --cafile "$C/ca.pem" 127.0.0.1:9
  grep -q "connection IDs" "$T/cidnone.err" || fail "no CID message: $(cat "$T/cidnone.err")"
  ok "no DTLS 1.3 in this build: --dtls -tls1_3 is a usage error that says so"
fi

DEAD=$("$FREEPORT" udp)
expect_rc 3 refused "$CLIENT" --dtls --cafile "$C/ca.pem" "127.0.0.1:$DEAD"
grep -q "refused" "$T/refused.err" || fail "refused: $(cat "$T/refused.err")"
ok "tlsw-client --dtls to a closed UDP port: exit 3"

# Client certificates over DTLS: accepted when sent; without one the
# server drops the handshake (wolfSSL 5.5.4 sends no alert there) and says
# so in its log; the client gives up at --timeout with a hint.
start_server dmtls --dtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --client-ca "$C/ca.pem"
relay a 16 "$CLIENT" --dtls --wait 0 --cafile "$C/ca.pem" \
  --cert "$C/client.pem" --key "$C/client.key" --servername localhost "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] && cmp -s "$T/a.in" "$T/a.got" || fail "DTLS mTLS: exit $RC"
wait_grep "$T/dmtls.err" 'client-cert="CN=client" ok: client closed' 10 ||
  fail "DTLS client cert not logged"
expect_rc 5 dnocert "$CLIENT" --dtls --timeout 3 --cafile "$C/ca.pem" \
  --servername localhost "127.0.0.1:$SRV_PORT"
grep -q -- "--cert" "$T/dnocert.err" || fail "no --cert hint: $(cat "$T/dnocert.err")"
wait_grep "$T/dmtls.err" "DTLS: 1 handshake(s) failed" 10 || fail "no DTLS failure log"
ok "DTLS client certificate: accepted and logged; missing: exit 5, logged"
stop $SRV_PID

# A bound UDP port that never answers: the client retransmits its flight
# (DTLS timers) and gives up at --timeout with exit 5.
"$FREEPORT" mute-udp > "$T/mute.port" &
track $!
wait_grep "$T/mute.port" "[0-9]" 10 || fail "mute UDP port"
expect_rc 5 mute "$CLIENT" --dtls --timeout 3 --cafile "$C/ca.pem" \
  "127.0.0.1:$(cat "$T/mute.port")"
grep -q "no handshake with .* within 3 s: is it a DTLS server" "$T/mute.err" ||
  fail "mute: $(cat "$T/mute.err")"
ok "tlsw-client --dtls to a silent UDP peer: retransmits, exit 5 at --timeout"

# Every --max-clients slot held by an established peer that sits (and
# --idle 0 never closes them): a new DTLS client is still served, the one
# idle the longest making room, instead of its hellos being dropped.
start_server dfull --dtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --max-clients 2 --idle 0
for n in 1 2; do
  mkfifo "$T/sit$n.fifo"
  timeout 60 "$CLIENT" -v --dtls --cafile "$C/ca.pem" --servername localhost \
    "127.0.0.1:$SRV_PORT" < "$T/sit$n.fifo" > /dev/null 2> "$T/sit$n.err" &
  track $!
  eval "exec $((n + 3))> \"\$T/sit\$n.fifo\""
  wait_grep "$T/sit$n.err" '^\* handshake:' 10 || fail "sitting DTLS client $n"
  sleep 0.1 # the server has taken the peer: the two are told apart by age
done
relay a 16 "$CLIENT" --dtls --wait 0 --timeout 10 --cafile "$C/ca.pem" \
  --servername localhost "127.0.0.1:$SRV_PORT"
[ $RC = 0 ] || fail "DTLS client with every slot held: exit $RC: $(cat "$T/a.err")"
cmp -s "$T/a.in" "$T/a.got" || fail "DTLS client with every slot held: echo differs"
wait_grep "$T/dfull.err" "DTLSv1.2 .*closed: evicted (longest idle, .*all --max-clients slots taken" 10 ||
  fail "no DTLS eviction logged"
exec 4>&- 5>&-
ok "--dtls with every slot held by idle peers: a new client is served, the longest idle evicted"
stop $SRV_PID

done_testing
