# Shared helpers for the CLI tests (sourced by tests/cli/*.sh).
# Environment (set by tests/cli.cmake): TLSW_CLIENT, TLSW_SERVER, FREEPORT,
# TLSW_TEST_CERTS. Every process started here is killed on exit, and every
# wait is bounded.
set -u
C=$TLSW_TEST_CERTS
CLIENT=$TLSW_CLIENT
SERVER=$TLSW_SERVER
T=$(mktemp -d "${TMPDIR:-/tmp}/tlsw-cli.XXXXXX")
PIDS=""
PASSED=0

cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  for p in $PIDS; do wait "$p" 2>/dev/null; done
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "FAIL: $*"
  # The newest few logs tell the story; fifty client logs would drown it.
  for f in $(ls -t "$T"/*.err "$T"/*.log 2>/dev/null | head -n 6); do
    [ -s "$f" ] && { echo "--- $f"; tail -n 15 "$f"; }
  done
  exit 1
}
ok() {
  PASSED=$((PASSED + 1))
  echo "ok $PASSED - $*"
}
done_testing() { echo "all $PASSED checks passed"; exit 0; }

# track PID: kill it on exit.
track() { PIDS="$PIDS $1"; }
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 0; }

# wait_grep FILE PATTERN [SECONDS]: until FILE holds a line matching PATTERN.
wait_grep() {
  n=0
  while ! grep -q -- "$2" "$1" 2>/dev/null; do
    n=$((n + 1))
    [ $n -gt $((${3:-10} * 20)) ] && return 1
    sleep 0.05
  done
  return 0
}

# wait_size FILE BYTES [SECONDS]: until FILE holds at least BYTES bytes.
wait_size() {
  n=0
  while [ "$(wc -c < "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
    n=$((n + 1))
    [ $n -gt $((${3:-20} * 10)) ] && return 1
    sleep 0.1
  done
  return 0
}

# wait_files DIR GLOB PATTERN COUNT SECONDS: until COUNT of the files
# DIR/GLOB hold a line matching PATTERN. The glob is expanded on every look
# (background clients may not have created their files yet).
wait_files() {
  n=0
  while [ "$(grep -l -- "$3" "$1"/$2 2>/dev/null | wc -l)" -lt "$4" ]; do
    n=$((n + 1))
    [ $n -gt $(($5 * 10)) ] && return 1
    sleep 0.1
  done
  return 0
}

# wait_lines FILE PATTERN COUNT SECONDS: until FILE holds at least COUNT
# lines matching PATTERN.
wait_lines() {
  n=0
  while c=$(grep -c -- "$2" "$1" 2>/dev/null); [ "${c:-0}" -lt "$3" ]; do
    n=$((n + 1))
    [ $n -gt $(($4 * 10)) ] && return 1
    sleep 0.1
  done
  return 0
}

# complete_lines FILE: FILE's lines that a newline ends. A server may be
# halfway through writing its last line (seen on a loaded machine: "ACCEPT
# 127.0.0.1:4" read as port 4, or no port at all); that line is left out.
complete_lines() {
  _s=$(cat "$1" 2> /dev/null; echo .)
  _s=${_s%.}
  case $_s in
    *"
") printf '%s' "$_s" ;;
    *) printf '%s' "$_s" | sed '$d' ;;
  esac
}

# wait_port FILE [SECONDS]: wait for the port a server announced in FILE
# (openssl's "ACCEPT 127.0.0.1:PORT", tlsw-server's "listening on
# ADDR:PORT (...)"), on a complete line; sets SRV_PORT. 1 if none within
# SECONDS (10).
wait_port() {
  n=0
  while :; do
    SRV_PORT=$(complete_lines "$1" |
      sed -n -e 's/^ACCEPT .*:\([0-9][0-9]*\)$/\1/p' \
        -e 's/^listening on .*:\([0-9][0-9]*\) .*/\1/p' | head -n 1)
    [ -n "$SRV_PORT" ] && return 0
    n=$((n + 1))
    [ $n -gt $((${2:-10} * 20)) ] && return 1
    sleep 0.05
  done
}

# start_server NAME ARGS...: tlsw-server on 127.0.0.1, port chosen by the
# system. Sets SRV_PID and SRV_PORT; output in $T/NAME.out/.err.
start_server() {
  name=$1
  shift
  # Emptied first: the shell truncates the files only once the child runs,
  # and a name used before would let the wait below read the old server's
  # "listening on" line (then the port of an empty file).
  : > "$T/$name.out"
  : > "$T/$name.err"
  "$SERVER" --port 0 "$@" > "$T/$name.out" 2> "$T/$name.err" &
  SRV_PID=$!
  track $SRV_PID
  wait_port "$T/$name.out" 10 || fail "$name did not start"
}

# start_openssl NAME ARGS...: openssl s_server on 127.0.0.1 port 0 (it
# prints the port it got). Sets SRV_PID and SRV_PORT.
start_openssl() {
  name=$1
  shift
  : > "$T/$name.log" # (as in start_server)
  openssl s_server -accept 127.0.0.1:0 "$@" < /dev/null \
    > "$T/$name.log" 2>&1 &
  SRV_PID=$!
  track $SRV_PID
  wait_port "$T/$name.log" 10 || fail "$name did not start"
}

# start_gnutls NAME [udp] ARGS...: gnutls-serv on a free port (it cannot
# report one it got from the system, so pick one and retry if taken).
# gnutls-serv binds the wildcard of each family in turn, printing
# "... listening on IPv4 0.0.0.0 port N...done" (or "...bind() failed:
# Address already in use") for each, and serves on whatever it got: when
# another process (a parallel test) took the port in between, it is alive
# on IPv6 alone while 127.0.0.1:N is someone else's. So the IPv4 line must
# say done; that is printed after listen(), so the port is ready then.
start_gnutls() {
  name=$1
  shift
  proto=tcp
  udpflag=""
  [ "$1" = udp ] && { proto=udp; udpflag=--udp; shift; }
  for attempt in 1 2 3 4 5; do
    SRV_PORT=$("$FREEPORT" $proto)
    : > "$T/$name.log" # (as in start_server)
    gnutls-serv -p "$SRV_PORT" $udpflag "$@" < /dev/null > "$T/$name.log" 2>&1 &
    SRV_PID=$!
    track $SRV_PID
    if wait_grep "$T/$name.log" "listening on IPv4 .*port $SRV_PORT\.\.\.[a-z]" 10 &&
      grep -q "listening on IPv4 .*port $SRV_PORT\.\.\.done" "$T/$name.log" &&
      kill -0 $SRV_PID 2>/dev/null; then
      return 0
    fi
    stop $SRV_PID
  done
  fail "$name: gnutls-serv did not start: $(cat "$T/$name.log")"
}

# hold_client NAME: tlsw-client -v, trusting ca.pem, to localhost:$SRV_PORT,
# its stdin the FIFO $T/NAME.fifo held open on fd 3 (close fd 3 to end
# it), so the session stays up; returns once its handshake is done (1 if
# not within 10 s). Sets CPID; its stderr is in $T/NAME.err.
# CPID is timeout's: a signal sent to it is passed to the client alone
# (--foreground). Without it timeout also signals its process group and
# sends SIGCONT after; under LeakSanitizer that SIGCONT can land while the
# exiting client is being stopped for the leak scan and cancel the stop,
# and both then wait for each other for ever (seen in CI: cli_options ran
# into ctest's 300 s limit). -k: a client that ignores it is killed.
hold_client() {
  mkfifo "$T/$1.fifo"
  timeout --foreground -k 5 30 "$CLIENT" -v --cafile "$C/ca.pem" "localhost:$SRV_PORT" \
    < "$T/$1.fifo" > /dev/null 2> "$T/$1.err" &
  CPID=$!
  track $CPID
  exec 3> "$T/$1.fifo"
  wait_grep "$T/$1.err" '^\* handshake:' 10
}

# relay NAME EXPECT_BYTES CMD...: run a client CMD with stdin from
# $T/NAME.in, keeping stdin open until EXPECT_BYTES bytes arrived on its
# stdout ($T/NAME.got) or the client exited, then closing it. Sets RC.
# Deterministic: no "wait a little for the reply" timers.
relay() {
  name=$1
  want=$2
  shift 2
  rm -f "$T/$name.fifo"
  mkfifo "$T/$name.fifo"
  : > "$T/$name.got"
  timeout 60 "$@" < "$T/$name.fifo" > "$T/$name.got" 2> "$T/$name.err" &
  cpid=$!
  {
    cat "$T/$name.in"
    n=0
    while kill -0 $cpid 2>/dev/null &&
      [ "$(wc -c < "$T/$name.got")" -lt "$want" ] && [ $n -lt 600 ]; do
      n=$((n + 1))
      sleep 0.05
    done
  } > "$T/$name.fifo" 2>/dev/null
  wait $cpid
  RC=$?
}

# expect_rc WANT NAME CMD...: run CMD (bounded), check its exit status.
expect_rc() {
  want=$1
  name=$2
  shift 2
  timeout 60 "$@" > "$T/$name.stdout" 2> "$T/$name.err" < /dev/null
  RC=$?
  [ "$RC" = "$want" ] || fail "$name: exit status $RC, expected $want"
}
