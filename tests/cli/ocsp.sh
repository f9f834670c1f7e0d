#!/bin/sh
# OCSP stapling through tlsw-client (--ocsp, --ocsp-require) against
# openssl s_server -status_file, TLS 1.3 and 1.2, on the test PKI's
# responses (made by openssl ocsp): a good staple connects and -v says
# "OCSP: good", a revoked one is refused (exit 4, the OCSP response named,
# -v "OCSP: revoked"), no staple connects with --ocsp ("OCSP: none") and
# is refused with --ocsp-require (exit 4); the options' refusals. Skipped
# (77) on a build without OCSP stapling.
. "$TLSW_CLI_LIB"

start_openssl plain -rev -cert "$C/server-ec.pem" -key "$C/server-ec.key"
timeout 30 "$CLIENT" --ocsp --wait 0 --cafile "$C/ca.pem" \
  "localhost:$SRV_PORT" < /dev/null > "$T/probe.out" 2> "$T/probe.err"
if [ $? = 2 ] && grep -q "no OCSP stapling" "$T/probe.err"; then
  echo "skip - this build has no OCSP stapling: $(cat "$T/probe.err")"
  exit 77
fi
stop $SRV_PID

for v in -tls1_3 -tls1_2; do
  start_openssl good$v $v -rev -cert "$C/server-ec.pem" -key "$C/server-ec.key" \
    -status_file "$C/ocsp-good.der"
  for opt in --ocsp --ocsp-require; do
    expect_rc 0 good$v$opt "$CLIENT" -v $opt --wait 0 --cafile "$C/ca.pem" \
      "localhost:$SRV_PORT"
    grep -q '^\* OCSP: *good$' "$T/good$v$opt.err" ||
      fail "$v $opt: no 'OCSP: good': $(cat "$T/good$v$opt.err")"
  done
  ok "$v: a good staple connects with --ocsp and --ocsp-require (-v: OCSP: good)"
  expect_rc 0 off$v "$CLIENT" -v --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  ! grep -q 'OCSP' "$T/off$v.err" || fail "$v: OCSP line without --ocsp"
  stop $SRV_PID

  start_openssl rev$v $v -rev -cert "$C/server-revoked.pem" \
    -key "$C/server-revoked.key" -status_file "$C/ocsp-revoked.der"
  expect_rc 4 rev$v "$CLIENT" -v --ocsp --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  grep -q "certificate revoked: the OCSP response the server stapled says revoked" \
    "$T/rev$v.err" || fail "$v: revoked not said: $(cat "$T/rev$v.err")"
  grep -q '^\* OCSP: *revoked$' "$T/rev$v.err" || fail "$v: no 'OCSP: revoked'"
  ok "$v: a revoked staple is refused (exit 4, 'OCSP response ... says revoked')"
  # Without --ocsp nothing asks for the staple: the revoked leaf passes.
  expect_rc 0 revoff$v "$CLIENT" --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  stop $SRV_PID

  start_openssl none$v $v -rev -cert "$C/server-ec.pem" -key "$C/server-ec.key"
  expect_rc 0 none$v "$CLIENT" -v --ocsp --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  grep -q '^\* OCSP: *none$' "$T/none$v.err" || fail "$v: no 'OCSP: none'"
  expect_rc 4 req$v "$CLIENT" --ocsp-require --wait 0 --cafile "$C/ca.pem" \
    "localhost:$SRV_PORT"
  grep -q "no OCSP response stapled" "$T/req$v.err" ||
    fail "$v: --ocsp-require without a staple: $(cat "$T/req$v.err")"
  ok "$v: no staple: --ocsp connects (OCSP: none), --ocsp-require is refused (exit 4)"
  stop $SRV_PID
done

start_openssl other -rev -cert "$C/server-ec.pem" -key "$C/server-ec.key" \
  -status_file "$C/ocsp-other.der"
expect_rc 4 other "$CLIENT" -v --ocsp --wait 0 --cafile "$C/ca.pem" \
  "localhost:$SRV_PORT"
grep -q "OCSP response invalid" "$T/other.err" || fail "other signer: $(cat "$T/other.err")"
grep -q '^\* OCSP: *invalid$' "$T/other.err" || fail "no 'OCSP: invalid'"
ok "a staple signed by another CA is refused (exit 4, 'OCSP response invalid')"
stop $SRV_PID

expect_rc 2 insecure "$CLIENT" --ocsp -k localhost:1
grep -q "cannot go with --insecure" "$T/insecure.err" || fail "--ocsp -k: $(cat "$T/insecure.err")"
expect_rc 2 dtls "$CLIENT" --ocsp --dtls --cafile "$C/ca.pem" localhost:1
grep -q "cannot go with --dtls" "$T/dtls.err" || fail "--ocsp --dtls: $(cat "$T/dtls.err")"
ok "--ocsp with --insecure or --dtls: usage errors"

done_testing
