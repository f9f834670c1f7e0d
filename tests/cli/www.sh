#!/bin/sh
# tlsw-server --www DIR, against curl --cacert and tlsw-client: files with
# their content types, 404, 405, and every way out of DIR refused ("..",
# encoded "..", absolute paths, a symlink out); one log line per request.
. "$TLSW_CLI_LIB"

W=$T/site
mkdir -p "$W/sub" "$T/secret"
printf '<p>hi</p>\n' > "$W/index.html"
printf 'plain\n' > "$W/a.txt"
printf '{"k":1}\n' > "$W/sub/d.json"
printf 'x{}\n' > "$W/s.css"
printf 'f()\n' > "$W/s.js"
printf '<svg/>\n' > "$W/i.svg"
head -c 300000 /dev/urandom > "$W/big.png"
head -c 1000 /dev/urandom > "$W/p.jpg"
head -c 100 /dev/urandom > "$W/blob.bin"
printf 'TOP SECRET\n' > "$T/secret/key.txt"
ln -s "$T/secret" "$W/out"
ln -s "$T/secret/key.txt" "$W/out.txt"
ln -s a.txt "$W/in.txt"

expect_rc 2 notdir "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --www "$W/a.txt"
expect_rc 2 nodir "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --www "$T/missing"
expect_rc 2 both "$SERVER" --cert "$C/server-ec.pem" --key "$C/server-ec.key" \
  --www "$W" --http
ok "--www refuses a file, a missing directory, and --http with it"

start_server www --cert "$C/server-ec.pem" --key "$C/server-ec.key" --www "$W"
grep -q "(TLS, www)" "$T/www.out" || fail "banner: $(cat "$T/www.out")"
URL="https://localhost:$SRV_PORT"

# get PATH: curl's status code, Content-Type and body (in $T/body).
get() {
  timeout 30 curl -sS --path-as-is --cacert "$C/ca.pem" -o "$T/body" \
    -w '%{http_code} %{content_type}' "$URL$1" 2> "$T/curl.err"
}
for f in "/a.txt text/plain; charset=utf-8" "/index.html text/html; charset=utf-8" \
  "/sub/d.json application/json" "/s.css text/css" "/s.js text/javascript" \
  "/i.svg image/svg+xml" "/big.png image/png" "/p.jpg image/jpeg" \
  "/blob.bin application/octet-stream" "/in.txt text/plain; charset=utf-8"; do
  path=${f%% *}
  type=${f#* }
  r=$(get "$path")
  [ "$r" = "200 $type" ] || fail "GET $path: $r $(cat "$T/curl.err")"
  src=$W$path
  cmp -s "$T/body" "$src" || fail "GET $path: body differs"
done
r=$(get /)
[ "$r" = "200 text/html; charset=utf-8" ] && cmp -s "$T/body" "$W/index.html" ||
  fail "GET /: $r"
r=$(get "/a.txt?x=1")
[ "${r%% *}" = 200 ] || fail "query: $r"
ok "curl --cacert: 11 files, content types by extension, a 300 KB binary intact, / is index.html"

r=$(get /missing.txt)
[ "${r%% *}" = 404 ] || fail "missing: $r"
code=$(timeout 30 curl -sS --cacert "$C/ca.pem" -X POST -d x=1 -o /dev/null \
  -w '%{http_code}' "$URL/a.txt")
[ "$code" = 405 ] || fail "POST: $code"
code=$(timeout 30 curl -sS --cacert "$C/ca.pem" -I -o /dev/null \
  -w '%{http_code}' "$URL/a.txt")
[ "$code" = 405 ] || fail "HEAD: $code"
ok "404 for a missing file, 405 for POST and HEAD (GET only)"

for p in /../secret/key.txt /sub/../../secret/key.txt /%2e%2e/secret/key.txt \
  /sub/%2E%2E/%2e%2e/secret/key.txt "/..%2fsecret/key.txt" \
  /out/key.txt /out.txt "//etc/passwd" "/%00a.txt" "/sub%5c..%5c..%5csecret"; do
  r=$(get "$p")
  case "${r%% *}" in 400|403|404) ;; *) fail "escape $p: $r: $(cat "$T/body")" ;; esac
  grep -q "TOP SECRET\|root:" "$T/body" && fail "escape $p leaked a file"
done
ok "'..' (plain, encoded, nested), symlinks out of DIR, absolute paths, NUL: 400/403/404, nothing leaked"

# openssl s_client sends a path curl would normalise: the raw ".." request.
printf 'GET /../secret/key.txt HTTP/1.1\r\nHost: x\r\n\r\n' |
  timeout 30 openssl s_client -quiet -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" > "$T/raw.out" 2>/dev/null
grep -q '^HTTP/1.1 403 Forbidden' "$T/raw.out" || fail "raw ..: $(cat "$T/raw.out")"
printf 'GET http://x/a.txt HTTP/1.1\r\nHost: x\r\n\r\n' |
  timeout 30 openssl s_client -quiet -connect "127.0.0.1:$SRV_PORT" \
    -CAfile "$C/ca.pem" > "$T/abs.out" 2>/dev/null
grep -q '^HTTP/1.1 400' "$T/abs.out" || fail "absolute-form: $(cat "$T/abs.out")"
ok "a raw '..' request (not normalised by a client) is 403, an absolute URL 400"

expect_rc 0 cl "$CLIENT" --cafile "$C/ca.pem" "$URL/big.png"
cmp -s "$T/cl.stdout" "$W/big.png" || fail "tlsw-client URL: body differs"
expect_rc 0 cl404 "$CLIENT" --cafile "$C/ca.pem" --get /nope "localhost:$SRV_PORT"
grep -q "note: the server answered 404 Not Found" "$T/cl404.err" || fail "404 note"
ok "tlsw-client https://.../big.png gets the file byte for byte; 404 noted"

# 12 GETs of files, 3 for 404/405, 10 escapes, 2 raw, 2 by tlsw-client.
wait_lines "$T/www.err" "ok: http " 29 10 || fail "log: $(cat "$T/www.err")"
lines=$(grep -c "ok: http " "$T/www.err")
[ "$lines" = 29 ] || fail "one log line per request: $lines for 29"
grep -q "ok: http 404 GET /missing.txt" "$T/www.err" &&
  grep -q "ok: http 405 POST /a.txt" "$T/www.err" &&
  grep -q "ok: http 403 GET /../secret/key.txt" "$T/www.err" || fail "log: $(cat "$T/www.err")"
ok "one log line per request, with status, method and path"
stop $SRV_PID

done_testing
