#!/bin/sh
# Regression tests for the CLI bugs of issue 15: HOST:PORT parsing shared
# with the server's --port, --help's exit statuses, the hint after a
# rejected client certificate, the server's doubled "handshake failed",
# --list-ciphers filing NULL suites, -p in the server's --help, --file DIR,
# and the Lua adapter naming its functions in argument errors.
. "$TLSW_CLI_LIB"

# HOST:PORT: every malformed port is a usage error (exit 2) with a message
# naming the port, never a connection attempt to some other port.
for target in localhost:99999 localhost:65536 localhost:44x localhost:-1 \
  localhost:+44 localhost:0 'localhost: 44'; do
  expect_rc 2 port "$CLIENT" "$target"
  grep -q "port number from 1 to 65535" "$T/port.err" ||
    fail "$target: $(cat "$T/port.err")"
done
expect_rc 2 empty "$CLIENT" localhost:
grep -q "names no port" "$T/empty.err" || fail "localhost: $(cat "$T/empty.err")"
expect_rc 2 v6 "$CLIENT" ::1:443
grep -q "in brackets.*\[::1\]:443" "$T/v6.err" || fail "::1:443: $(cat "$T/v6.err")"
ok "client: :99999 :65536 :44x :-1 :+44 :0, 'localhost:' and ::1:443 are usage errors (exit 2)"

for p in 65536 99999 44x -1 ''; do
  expect_rc 2 sport "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
    --port "$p"
  grep -q "port number from 0 to 65535" "$T/sport.err" ||
    fail "server --port '$p': $(cat "$T/sport.err")"
done
"$SERVER" -p 0 --count 1 --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  > "$T/p.out" 2> "$T/p.err" &
spid=$!
track $spid
wait_grep "$T/p.out" "^listening on 127.0.0.1:[0-9]" 10 || fail "-p 0: $(cat "$T/p.err")"
stop $spid
expect_rc 0 shelp "$SERVER" --help
grep -q -- "-p, --port N" "$T/shelp.stdout" || fail "-p missing from server --help"
ok "server: --port checked by the same parser; -p works and is in --help"

# --help's exit statuses match the tool: a rejected client certificate is a
# fatal alert, exit 5 (docs/cli.md says so too).
expect_rc 0 help "$CLIENT" --help
sed -n '/^  4 /,/^  6 /p' "$T/help.stdout" > "$T/help.45"
grep -q "rejected our certificate" "$T/help.45" || fail "--help: $(cat "$T/help.45")"
sed -n '/^  4 /,/^  5 /p' "$T/help.stdout" | grep -q "rejected" &&
  fail "--help still files a rejected certificate under exit 4"
grep -q "| 5 | handshake failure |.*our certificate" "$TLSW_CLI_DOCS" ||
  fail "docs/cli.md exit 5 row does not name a rejected certificate"
start_openssl rej -cert "$C/server-ec.pem" -key "$C/server-ec.key" \
  -rev -Verify 1 -CAfile "$C/other-ca.pem" -verify_return_error
for v in 1.3 1.2; do
  ciphers=""
  [ $v = 1.2 ] && ciphers="--ciphers TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
  printf 'x\n' > "$T/rej.in"
  relay rej 1 "$CLIENT" --wait 2 --cafile "$C/ca.pem" $ciphers \
    --cert "$C/client.pem" --key "$C/client.key" "localhost:$SRV_PORT"
  [ $RC = 5 ] || fail "TLS $v rejected client certificate: exit $RC: $(cat "$T/rej.err")"
  grep -q "does not accept our certificate" "$T/rej.err" ||
    fail "TLS $v hint: $(cat "$T/rej.err")"
  grep -q -- "--client-ca" "$T/rej.err" &&
    fail "TLS $v hint names --client-ca, an option of tlsw-server only: $(cat "$T/rej.err")"
done
stop $SRV_PID
ok "a rejected client certificate: exit 5 as --help says, hint without --client-ca (TLS 1.3 and 1.2)"

# The server's log says "handshake failed" once.
start_server dbl --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --ciphers TLS_AES_128_GCM_SHA256
expect_rc 5 nocipher "$CLIENT" --cafile "$C/ca.pem" \
  --ciphers TLS_AES_256_GCM_SHA384 "localhost:$SRV_PORT"
wait_grep "$T/dbl.err" "handshake failed" 10 || fail "no log line"
grep -q "handshake failed: handshake failed" "$T/dbl.err" &&
  fail "doubled: $(cat "$T/dbl.err")"
grep -q "handshake failed: no cipher suite in common" "$T/dbl.err" ||
  fail "log: $(cat "$T/dbl.err")"
grep -q "failed: handshake failed" "$T/nocipher.err" &&
  fail "client doubled: $(cat "$T/nocipher.err")"
stop $SRV_PID
ok "the server logs 'handshake failed: <reason>' once (and so does the client)"

# --list-ciphers: every suite without encryption sits under the heading that
# says so (Debian's wolfSSL has TLS_SHA256_SHA256 and ..._WITH_NULL_...).
for tool in "$CLIENT" "$SERVER"; do
  "$tool" --list-ciphers > "$T/list.txt" || fail "--list-ciphers"
  awk '/^#/ { h = $0; next }
       /_NULL_|^TLS_SHA(256|384)_SHA(256|384)$/ {
         if (h !~ /NO ENCRYPTION/) { print "misfiled: " $0 " under " h; bad = 1 }
         null++ }
       END { exit bad }' "$T/list.txt" || fail "$(cat "$T/list.txt")"
done
nulls=$(grep -cE '_NULL_|^TLS_SHA(256|384)_SHA(256|384)$' "$T/list.txt")
ok "--list-ciphers files the $nulls NULL-encryption suites of this build under NO ENCRYPTION"

# --file DIR is refused at start-up.
mkdir "$T/dir"
expect_rc 2 filedir "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --file "$T/dir"
grep -q "is a directory" "$T/filedir.err" || fail "--file DIR: $(cat "$T/filedir.err")"
ok "tlsw-server --file DIR: usage error at start-up"

# Lua: a method called without its name (pcall(ctx.f, ...), an alias) is
# named in the argument error, not '?'.
if [ -n "${TLSW_LUA:-}" ] && [ -n "${TLSW_LUA_CPATH:-}" ]; then
  "$TLSW_LUA" -e "package.cpath='$TLSW_LUA_CPATH/?.so;'..package.cpath" - \
    > "$T/lua.out" 2>&1 <<'EOF'
local tls = require "tlswrap"
local ctx = tls.SSLContext(tls.PROTOCOL_TLS_CLIENT)
print(select(2, pcall(ctx.set_ciphers, ctx, 5)))
print(select(2, pcall(ctx.wrap_socket, ctx, nil, 5)))
local send = debug.getregistry()["tlswrap.SSLSocket"].__index.send
print(select(2, pcall(send, nil, "x")))
EOF
  grep -q "'?'" "$T/lua.out" && fail "Lua: $(cat "$T/lua.out")"
  grep -q "to 'tlswrap.SSLContext.set_ciphers'" "$T/lua.out" &&
    grep -q "to 'tlswrap.SSLContext.wrap_socket'" "$T/lua.out" &&
    grep -q "to 'tlswrap.SSLSocket.send'" "$T/lua.out" ||
    fail "Lua: $(cat "$T/lua.out")"
  ok "Lua argument errors name the method (tlswrap.SSLContext.set_ciphers), not '?'"
else
  echo "skip - no Lua interpreter or module in this build"
fi

done_testing
