#!/bin/sh
# tlsw-server --http against curl and tlsw-client --get; IPv6 loopback.
. "$TLSW_CLI_LIB"

start_server http --cert "$C/server-ec.pem" --key "$C/server-ec.key" --http
URL="https://localhost:$SRV_PORT"

code=$(timeout 30 curl -sS --cacert "$C/ca.pem" -o "$T/curl.body" \
  -w '%{http_code}' "$URL/hello?x=1" 2> "$T/curl.err")
[ "$code" = 200 ] || fail "curl GET: $code"
grep -q '<code>/hello?x=1</code> over TLSv1.3' "$T/curl.body" || fail "page"
wait_grep "$T/http.err" "ok: http 200 GET /hello?x=1" 10 || fail "GET log line"
ok "curl --cacert GET -> tlsw-server --http (200, logged)"

timeout 30 curl -sS --cacert "$C/ca.pem" -I "$URL/" > "$T/head.txt" 2>&1
grep -q '^HTTP/1.1 200' "$T/head.txt" || fail "HEAD: $(cat "$T/head.txt")"
grep -qi '^Content-Length: [0-9]' "$T/head.txt" || fail "HEAD length"
code=$(timeout 30 curl -sS --cacert "$C/ca.pem" -X POST -d x=1 -o /dev/null \
  -w '%{http_code}' "$URL/")
[ "$code" = 405 ] || fail "POST: $code"
ok "curl HEAD gives 200, POST gives 405"

code=$(timeout 30 curl -sS --cacert "$C/ca.pem" --tlsv1.2 --tls-max 1.2 \
  -o /dev/null -w '%{http_code}' "$URL/v12")
[ "$code" = 200 ] || fail "curl TLS 1.2: $code"
wait_grep "$T/http.err" "TLSv1.2 .*GET /v12" 10 || fail "1.2 log line"
ok "curl --tls-max 1.2 -> tlsw-server --http"

# curl must refuse the server when it does not trust the CA.
timeout 30 curl -sS --cacert "$C/other-ca.pem" "$URL/" > /dev/null 2>&1 &&
  fail "curl trusted a server signed by another CA"
ok "curl with the wrong CA refuses tlsw-server"

# Not HTTP at all: 400, and the connection is closed by the server.
printf 'NONSENSE\r\n\r\n' | timeout 30 openssl s_client -quiet \
  -connect "127.0.0.1:$SRV_PORT" -CAfile "$C/ca.pem" > "$T/bad.out" 2>/dev/null
grep -q '^HTTP/1.1 400 Bad Request' "$T/bad.out" || fail "400: $(cat "$T/bad.out")"
wait_grep "$T/http.err" "ok: http 400 - -" 10 || fail "400 log line"
ok "a request that is not HTTP gets 400"

expect_rc 0 get "$CLIENT" --cafile "$C/ca.pem" --get '/a<b>&c' \
  "localhost:$SRV_PORT"
grep -q '<code>/a&lt;b&gt;&amp;c</code>' "$T/get.stdout" ||
  fail "tlsw-client --get page: $(cat "$T/get.stdout")"
ok "tlsw-client --get -> tlsw-server --http (path HTML-escaped)"

expect_rc 2 badpath "$CLIENT" --cafile "$C/ca.pem" --get 'no-slash' \
  "localhost:$SRV_PORT"
ok "tlsw-client --get refuses a path that is not absolute (exit 2)"

# A URL does what curl does with it: GET the path (query kept, fragment
# dropped), the body on stdout, byte for byte what curl prints.
expect_rc 0 url "$CLIENT" --cafile "$C/ca.pem" "$URL/dir/page?q=1#frag"
timeout 30 curl -sS --cacert "$C/ca.pem" "$URL/dir/page?q=1#frag" \
  > "$T/url.curl" 2> "$T/url.curlerr" || fail "curl: $(cat "$T/url.curlerr")"
cmp -s "$T/url.stdout" "$T/url.curl" ||
  fail "tlsw-client URL body differs from curl's: $(cat "$T/url.stdout")"
grep -q '<code>/dir/page?q=1</code>' "$T/url.stdout" || fail "URL path"
wait_grep "$T/http.err" "ok: http 200 GET /dir/page?q=1" 10 || fail "URL log"
expect_rc 0 urlroot "$CLIENT" --cafile "$C/ca.pem" "https://localhost:$SRV_PORT"
grep -q '<code>/</code>' "$T/urlroot.stdout" || fail "URL without a path"
ok "tlsw-client https://HOST:PORT/PATH?Q#F: GET, body identical to curl's"

expect_rc 2 plain "$CLIENT" "http://localhost:$SRV_PORT/"
grep -q "http:// is plain text.*https://" "$T/plain.err" || fail "http://: $(cat "$T/plain.err")"
expect_rc 2 ftp "$CLIENT" "ftp://localhost/"
expect_rc 2 both "$CLIENT" --get /x "$URL/"
expect_rc 2 urlport "$CLIENT" "https://localhost:99999/"
grep -q "port number" "$T/urlport.err" || fail "URL port: $(cat "$T/urlport.err")"
ok "http:// (with a clear message), ftp://, URL plus --get, bad URL port: usage errors"

# A head ended by bare LFs (as typed into a terminal) is answered at once
# (RFC 9112 2.2), not held until --idle.
printf 'GET /lf HTTP/1.0\n\n' | timeout 20 openssl s_client -quiet \
  -CAfile "$C/ca.pem" -verify_return_error -servername localhost \
  -connect "127.0.0.1:$SRV_PORT" > "$T/lf.out" 2> "$T/lf.err"
grep -q '^HTTP/1.[01] 200' "$T/lf.out" && grep -q '<code>/lf</code>' "$T/lf.out" ||
  fail "bare-LF request: $(cat "$T/lf.out" "$T/lf.err")"
ok "a request head ended by bare LFs gets its answer"
stop $SRV_PID

# IPv6 loopback, if this machine has it.
"$SERVER" --port 0 --bind ::1 --cert "$C/server-ec.pem" \
  --key "$C/server-ec.key" --http > "$T/v6.out" 2> "$T/v6.err" &
SRV_PID=$!
track $SRV_PID
if wait_grep "$T/v6.out" "^listening on \[::1\]" 5 && wait_port "$T/v6.out" 5; then
  expect_rc 0 v6get "$CLIENT" -v --cafile "$C/ca.pem" --servername localhost \
    --get /six "[::1]:$SRV_PORT"
  grep -q "<code>/six</code>" "$T/v6get.stdout" || fail "IPv6 page"
  grep -q "connected to \[::1\]:$SRV_PORT" "$T/v6get.err" || fail "v6 peer"
  wait_grep "$T/v6.err" "^tlsw-server: \[::1\]:" 10 || fail "v6 log line"
  ok "tlsw-client [::1]:PORT -> tlsw-server --bind ::1"
  expect_rc 0 v6url "$CLIENT" --cafile "$C/ca.pem" --servername localhost \
    "https://[::1]:$SRV_PORT/six-url"
  grep -q "<code>/six-url</code>" "$T/v6url.stdout" || fail "IPv6 URL page"
  ok "tlsw-client https://[::1]:PORT/PATH"
else
  echo "skip - no IPv6 loopback here: $(cat "$T/v6.err")"
fi
stop $SRV_PID

done_testing
