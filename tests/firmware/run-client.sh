#!/bin/sh
# run-client.sh CERTS LINE qemu QEMU ELF
# run-client.sh CERTS LINE host  PROGRAM
#
# The client image against real TLS servers outside it (fw_client.c): two
# openssl s_server on 127.0.0.1, each on a port the system picks, one
# allowing only TLS 1.3 and one only TLS 1.2, both answering each line
# reversed (-rev) and serving one connection. Under QEMU the board's UART0
# and UART1 are connected to them (-chardev socket, -serial chardev:...;
# semihosting still carries the report line and the exit status); a host
# build of the image gets the ports in FW_UART0_PORT / FW_UART1_PORT.
# Passes only when the image exits 0 and printed exactly one line matching
# the regular expression LINE. Every wait is bounded; everything started
# here is stopped on the way out.
set -u
certs=$1
line=$2
mode=$3
shift 3
T=$(mktemp -d "${TMPDIR:-/tmp}/tlsw-fwclient.XXXXXX") || exit 1
pids=
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  for p in $pids; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

fail() {
  echo "run-client: $*" >&2
  for f in "$T"/*.log; do
    [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }
  done
  exit 1
}

# s_server NAME VERSION-OPTION: prints the port it got.
start() {
  : >"$T/$1.log"
  openssl s_server -accept 127.0.0.1:0 -naccept 1 -rev "$2" \
    -cert "$certs/server-ec.pem" -key "$certs/server-ec.key" \
    </dev/null >"$T/$1.log" 2>&1 &
  pids="$pids $!"
  n=0
  while :; do
    # Complete lines only: a half-written "ACCEPT 127.0.0.1:4" is no port.
    p=$(sed -n 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' "$T/$1.log" | head -n 1)
    if [ -n "$p" ] && grep -q "^ACCEPT .*:$p\$" "$T/$1.log" &&
      [ "$(tail -c 1 "$T/$1.log" | od -An -c | tr -d ' ')" = '\n' ]; then
      echo "$p"
      return 0
    fi
    n=$((n + 1))
    [ $n -gt 200 ] && return 1
    sleep 0.05
  done
}
p13=$(start tls13 -tls1_3) || fail "s_server (TLS 1.3) did not start"
p12=$(start tls12 -tls1_2) || fail "s_server (TLS 1.2) did not start"

case $mode in
  qemu)
    timeout -k 5 100 "$1" -M mps2-an386 -nographic -monitor none \
      -chardev socket,id=u0,host=127.0.0.1,port="$p13" \
      -chardev socket,id=u1,host=127.0.0.1,port="$p12" \
      -serial chardev:u0 -serial chardev:u1 \
      -semihosting-config enable=on,target=native -kernel "$2" \
      >"$T/out" 2>"$T/err"
    rc=$?
    ;;
  host)
    FW_UART0_PORT=$p13 FW_UART1_PORT=$p12 timeout -k 5 100 "$1" \
      >"$T/out" 2>"$T/err"
    rc=$?
    ;;
  *) fail "mode '$mode': use qemu or host" ;;
esac
cat "$T/out" "$T/err"
[ "$rc" -eq 0 ] || fail "the image exited with $rc"
[ "$(grep -c . "$T/out")" -eq 1 ] && grep -Eq "^$line\$" "$T/out" ||
  fail "expected exactly one line matching '$line'"
exit 0
