#!/bin/sh
# 50 tlsw-client processes served at once by one tlsw-server (one thread,
# poll()): echo with distinct random data per client, then --file; every
# byte is compared. The server reports how many it held at once.
. "$TLSW_CLI_LIB"
N=${TLSW_CLI_CLIENTS:-50}
SIZE=100000
# Milliseconds (GNU date); only reported, never asserted.
ms() { date +%s%3N; }

start_server echo --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --max-clients 200 --timeout 60
t0=$(ms)
i=1
while [ $i -le $N ]; do
  head -c $SIZE /dev/urandom > "$T/c$i.in"
  mkfifo "$T/c$i.fifo"
  : > "$T/c$i.got"
  # -v prints the summary once the handshake is done: that is how we know
  # all N are connected at the same time before any sends data.
  timeout 120 "$CLIENT" -v --timeout 60 --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT" < "$T/c$i.fifo" > "$T/c$i.got" 2> "$T/c$i.err" &
  echo $! > "$T/c$i.pid"
  track $!
  i=$((i + 1))
done
# Feeders: hold each client's stdin until its echo is complete.
i=1
while [ $i -le $N ]; do
  (
    cpid=$(cat "$T/c$i.pid")
    n=0
    while [ ! -f "$T/go" ] && [ $n -lt 1200 ]; do n=$((n + 1)); sleep 0.1; done
    cat "$T/c$i.in"
    n=0
    while kill -0 $cpid 2>/dev/null &&
      [ "$(wc -c < "$T/c$i.got")" -lt $SIZE ] && [ $n -lt 600 ]; do
      n=$((n + 1))
      sleep 0.2
    done
  ) > "$T/c$i.fifo" 2>/dev/null &
  track $!
  i=$((i + 1))
done
# Barrier: every client has finished its handshake.
wait_files "$T" 'c*.err' '^\* handshake:' $N 60 ||
  fail "only $(grep -l '^\* handshake:' "$T"/c*.err | wc -l) of $N clients finished the handshake"
t1=$(ms)
touch "$T/go"
i=1
while [ $i -le $N ]; do
  wait "$(cat "$T/c$i.pid")"
  rc=$?
  [ $rc = 0 ] || fail "client $i: exit $rc: $(cat "$T/c$i.err" | tail -1)"
  cmp -s "$T/c$i.in" "$T/c$i.got" || fail "client $i: echo differs ($(wc -c < "$T/c$i.got") bytes back)"
  i=$((i + 1))
done
t2=$(ms)
ok "$N concurrent echo clients, $SIZE random bytes each, all identical (start-up and handshakes $((t1 - t0)) ms, data $((t2 - t1)) ms)"
wait_lines "$T/echo.err" 'ok: client closed' $N 10 ||
  fail "server logged $(grep -c 'ok: client closed' "$T/echo.err") clean closes, expected $N"
[ "$(grep -c "in=$SIZE out=$SIZE " "$T/echo.err")" = $N ] ||
  fail "server byte counts wrong"
stop $SRV_PID
grep -q "stopped: $N connections served, at most $N at once" "$T/echo.err" ||
  fail "peak: $(tail -1 "$T/echo.err")"
ok "server logged $N clean closes with in=out=$SIZE, $N at once"

# --file: N clients fetch the same 1 MB file at once.
head -c 1000000 /dev/urandom > "$T/file.bin"
start_server file --cert "$C/server-rsa.pem" --key "$C/server-rsa.key" \
  --file "$T/file.bin" --max-clients 200 --timeout 60
i=1
while [ $i -le $N ]; do
  # --wait 60: the server closes after the file; the wait only bounds a
  # server that stalls (under ASan 50 handshakes take seconds).
  timeout 120 "$CLIENT" --timeout 60 --wait 60 --cafile "$C/ca.pem" "localhost:$SRV_PORT" \
    < /dev/null > "$T/f$i.got" 2> "$T/f$i.err" &
  echo $! > "$T/f$i.pid"
  track $!
  i=$((i + 1))
done
i=1
while [ $i -le $N ]; do
  wait "$(cat "$T/f$i.pid")"
  rc=$?
  [ $rc = 0 ] || fail "file client $i: exit $rc: $(tail -1 "$T/f$i.err")"
  cmp -s "$T/file.bin" "$T/f$i.got" || fail "file client $i: data differs"
  i=$((i + 1))
done
stop $SRV_PID
grep -q "stopped: $N connections served" "$T/file.err" || fail "file count"
ok "$N clients fetched a 1000000-byte --file at once, all identical ($(sed -n 's/.*at most \([0-9]*\) at once/\1/p' "$T/file.err") at once)"

done_testing
