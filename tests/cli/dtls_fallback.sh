#!/bin/sh
# tlsw-client --dtls HOST:PORT where HOST resolves to ::1 first and the
# server listens on 127.0.0.1 only: the UDP connect() to [::1] works, the
# first datagram comes back refused (ICMP port unreachable), and the client
# must try the next address instead of giving up (exit 3).
#  1. A name made to resolve that way by an LD_PRELOAD resolver shim
#     (tests/cli/dualhost.c), so this runs on every machine.
#  2. The real "localhost", where this machine resolves it to ::1 first and
#     127.0.0.1 after; otherwise that part is skipped, and says so.
. "$TLSW_CLI_LIB"

start_server fb --dtls --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --timeout 20
printf 'hello after a refusal\n' > "$T/x.in"

# check_fallback NAME CLIENT-ENV...: relay through NAME:$SRV_PORT and check
# the echo, the refused [::1] and the move to 127.0.0.1.
check_fallback() {
  host=$1
  shift
  cp "$T/x.in" "$T/fb_$host.in"
  relay "fb_$host" 22 env "$@" "$CLIENT" -v --dtls --wait 0 --timeout 10 \
    --cafile "$C/ca.pem" --servername localhost "$host:$SRV_PORT"
  err="$T/fb_$host.err"
  [ $RC = 0 ] || fail "$host: exit $RC: $(cat "$err")"
  cmp -s "$T/x.in" "$T/fb_$host.got" || fail "$host: echo differs"
  grep -q "^\* connected to \[::1\]:$SRV_PORT (UDP)" "$err" ||
    fail "$host: [::1] was not tried first"
  grep -q "^\* \[::1\]:$SRV_PORT refused the datagrams; trying the next address" "$err" ||
    fail "$host: no fallback note"
  grep -q "^\* connected to 127.0.0.1:$SRV_PORT (UDP)" "$err" ||
    fail "$host: 127.0.0.1 was not tried next"
}

if python3 -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).bind(("::1", 0))' 2>/dev/null; then
  check_fallback tlsw-dual.test LD_PRELOAD="$DUALHOST_LIB" DUALHOST_NAME=tlsw-dual.test
  ok "--dtls to a name resolving to ::1 then 127.0.0.1 (resolver shim): refused on ::1, served on 127.0.0.1"

  order=$(python3 -c 'import socket
print(" ".join(a[4][0] for a in socket.getaddrinfo("localhost", 1, type=socket.SOCK_DGRAM)))' 2>/dev/null)
  case "$order" in
    "::1 "*127.0.0.1*)
      check_fallback localhost
      ok "--dtls localhost (::1 first here): refused on ::1, served on 127.0.0.1"
      ;;
    *)
      echo "skip - localhost resolves to '$order' here, not ::1 then 127.0.0.1: the real-localhost case cannot arise"
      ;;
  esac
else
  echo "skip - no IPv6 loopback on this machine: nothing to fall back from"
fi

# Only one address, and it refuses: still exit 3 with the refusal named.
stop $SRV_PID
expect_rc 3 fbref env LD_PRELOAD="$DUALHOST_LIB" DUALHOST_NAME=unused \
  "$CLIENT" --dtls --timeout 5 --cafile "$C/ca.pem" "127.0.0.1:$SRV_PORT"
grep -q "refused the connection" "$T/fbref.err" || fail "refusal: $(cat "$T/fbref.err")"
ok "--dtls to a single refusing address: exit 3, refusal named"
done_testing
