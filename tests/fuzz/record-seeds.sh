#!/bin/sh
# Records the seed corpora in tests/fuzz/corpus/<target>/ (committed):
#
#   tests/fuzz/record-seeds.sh BUILD_DIR
#
# BUILD_DIR is a TLSW_FUZZ=ON build (it needs fuzz_record). The session
# targets' seeds are real connections between tlswrap sessions
# (fuzz_record); the others are made here with the openssl CLI (fresh
# keys each time: seeds are inputs, not fixtures) and printf. Run it again
# after a change to the targets' input formats, to fuzz_common.c's
# contexts or to the embedded fixtures, and commit the result.
set -eu
build=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for t in tls_server tls_client dtls_server dtls_client load lists hostname ocsp \
  cli_http cli_x509; do
  rm -rf "${corpus:?}/$t"
  mkdir -p "$corpus/$t"
done
# In separate processes: the DTLS recording must start as fuzz_dtls_server
# does (same cookie secret). "dtls" records DTLS 1.2, then DTLS 1.3 against
# the 1.2-and-1.3 context (dtls13-*, mode bit 1).
"$build/fuzz_record" tls "$corpus"
"$build/fuzz_record" dtls "$corpus"
# The server's datagrams for fuzz_dtls_client: DTLS 1.2, 1.3, and the
# 1.2-and-1.3 client met by a 1.2 server (dtls12-*, dtls13-*, dtls13to12-*).
"$build/fuzz_record" dtls_client "$corpus"

# Certificates and keys.
cd "$tmp"
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=Seed CA" \
  -addext "basicConstraints=critical,CA:TRUE" -out ca.pem 2>/dev/null
leaf() { # name keyfile subject san
  openssl req -new -key "$2" -subj "$3" -out "$1.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "$4" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
    -days 3650 -sha256 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  openssl x509 -in "$1.pem" -outform DER -out "$1.der"
}
openssl ecparam -name prime256v1 -genkey -noout -out ec.key 2>/dev/null
openssl genrsa -traditional -out rsa.key 2048 2>/dev/null
leaf ec ec.key "/CN=localhost/O=Seed" "DNS:localhost,IP:127.0.0.1,IP:::1"
leaf rsa rsa.key "/CN=rsa.example.test" "DNS:rsa.example.test,email:a@example.test"
leaf wild ec.key "/CN=*.example.test" "DNS:*.example.test,DNS:example.test,URI:https://example.test/"
leaf utf8 ec.key "/CN=caf\\xc3\\xa9.example.test/O=Caf\\xc3\\xa9" "DNS:xn--caf-dma.example.test"
openssl x509 -in ca.pem -outform DER -out ca.der
openssl pkcs8 -topk8 -nocrypt -in ec.key -out ec.p8
openssl pkcs8 -topk8 -nocrypt -in ec.key -outform DER -out ec.p8.der
openssl ec -in ec.key -outform DER -out ec.key.der 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-128-cbc -passout pass:fuzz -in ec.key -out ec.enc.p8
openssl rsa -aes128 -passout pass:fuzz -traditional -in rsa.key -out rsa.enc.pem 2>/dev/null

u16() { # the 2-byte big-endian length of a file
  n=$(wc -c <"$1")
  printf "\\$(printf %03o $((n / 256)))\\$(printf %03o $((n % 256)))"
}
byte() { printf "\\$(printf %03o "$1")"; }

# fuzz_load: op byte, [password length, password], cert length, cert, key.
load() { # name op password cert key
  {
    byte "$2"
    if [ "$2" = 1 ] || [ "$2" = 3 ]; then
      byte ${#3}
      printf %s "$3"
    fi
    u16 "$4"
    cat "$4" "$5"
  } >"$corpus/load/$1"
}
cat ec.pem ca.pem >chain.pem
load ec-sec1-pem 0 "" ec.pem ec.key
load ec-chain-pkcs8 0 "" chain.pem ec.p8
load ec-der 0 "" ec.der ec.key.der
load ec-der-pkcs8 0 "" ec.der ec.p8.der
load rsa-pkcs1-pem 0 "" rsa.pem rsa.key
load mismatch 0 "" rsa.pem ec.key
load ec-encrypted-pkcs8 1 fuzz ec.pem ec.enc.p8
load rsa-encrypted-pem 1 fuzz rsa.pem rsa.enc.pem
load rsa-encrypted-cb 3 fuzz rsa.pem rsa.enc.pem
load ec-wrong-password 1 nope ec.pem ec.enc.p8
{ byte 2; cat ca.pem ec.pem; } >"$corpus/load/ca-bundle-pem"
{ byte 2; cat ca.der rsa.der; } >"$corpus/load/ca-der-two"
# CRL ops (4-7): op, CA length, CA, CRLs. The seed CA's CRLs (openssl ca
# needs a database): one revoking nothing, one revoking the EC leaf (PEM
# and DER), and another CA's, which the CA cannot vouch for.
openssl ecparam -name prime256v1 -genkey -noout -out other.key 2>/dev/null
openssl req -x509 -new -key other.key -sha256 -days 3650 -subj "/CN=Other CA" \
  -addext "basicConstraints=critical,CA:TRUE" -out other.pem 2>/dev/null
for c in ca other; do
  : >"$c.index"
  echo 01 >"$c.crlnumber"
  printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s.index\ncrlnumber=%s.crlnumber\ndefault_md=sha256\ndefault_crl_days=3650\n' \
    "$c" "$c" >"$c.cnf"
done
ossl_ca() { # ca args...
  c=$1
  shift
  openssl ca -config "$c.cnf" -keyfile "$c.key" -cert "$c.pem" "$@" 2>/dev/null
}
ossl_ca ca -gencrl -out empty.crl
ossl_ca ca -revoke ec.pem
ossl_ca ca -gencrl -out revoked.crl
openssl crl -in revoked.crl -outform DER -out revoked.crl.der
ossl_ca other -gencrl -out other.crl
cat empty.crl other.crl >two.crl
loadcrl() { # name op ca crls
  { byte "$2"; u16 "$3"; cat "$3" "$4"; } >"$corpus/load/$1"
}
loadcrl crl-empty 4 ca.pem empty.crl
loadcrl crl-revoked 4 ca.pem revoked.crl
loadcrl crl-revoked-der 6 ca.der revoked.crl.der
loadcrl crl-two 4 ca.pem two.crl
loadcrl crl-other-ca 4 ca.pem other.crl
loadcrl crl-before-ca 5 ca.pem revoked.crl

# fuzz_ocsp: leaf length, leaf DER, OCSP response (openssl ocsp, from the
# CA databases above: rsa is valid, ec revoked; other's knows neither).
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -valid rsa.pem 2>/dev/null
ocsp() { # name leaf index signer
  openssl ocsp -issuer ca.pem -cert "$2.pem" -no_nonce -reqout "$1.req" 2>/dev/null
  openssl ocsp -index "$3" -rsigner "$4.pem" -rkey "$4.key" -CA ca.pem \
    -reqin "$1.req" -ndays 3650 -respout "$1.ocsp" >/dev/null 2>&1
  { u16 "$2.der"; cat "$2.der" "$1.ocsp"; } >"$corpus/ocsp/$1"
}
ocsp good rsa ca.index ca
ocsp revoked ec ca.index ca
ocsp unknown rsa other.index ca
ocsp other-signer rsa ca.index other
{ u16 wild.der; cat wild.der good.ocsp; } >"$corpus/ocsp/not-this-leaf"

# fuzz_hostname: 0 + text (IP parser), or 1|3 + length + host + DER.
for h in 127.0.0.1 ::1 ::ffff:1.2.3.4 fe80::1:2 1:2:3:4:5:6:7:8 \
  1:2:3:4:5:6:1.2.3.4 127.0.0.010 0x7f.1 localhost; do
  { byte 0; printf %s "$h"; } >"$corpus/hostname/ip-$(printf %s "$h" | tr ':.' '-_')"
done
host() { # name flags host der
  { byte "$2"; byte ${#3}; printf %s "$3"; cat "$4"; } >"$corpus/hostname/$1"
}
host ec-localhost 1 localhost ec.der
host ec-ip 1 127.0.0.1 ec.der
host ec-ip6 1 ::1 ec.der
host wild-match 1 a.example.test wild.der
host wild-nomatch 1 a.b.example.test wild.der
host rsa-cn-fallback 3 rsa.example.test rsa.der
host ca-no-san 3 localhost ca.der

# fuzz_cli_x509: DER certificates.
for c in ca ec rsa wild utf8; do cp "$c.der" "$corpus/cli_x509/$c"; done

# fuzz_cli_http: 0 + piece size + response, or 1 + method size + request.
http() { # name op size text
  { byte "$2"; byte "$3"; printf "$4"; } >"$corpus/cli_http/$1"
}
http resp-length 0 7 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello'
http resp-chunked 0 3 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nTrailer: t\r\n\r\n'
http resp-close 0 255 'HTTP/1.0 404 Not Found\r\n\r\nnot here'
http resp-bare-lf 0 255 'HTTP/1.1 204 No Content\n\n'
http req-get 1 15 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'
http req-head 1 15 'HEAD /a/b?c=%%3Cd%%3E HTTP/1.0\r\n\r\n'
http req-bare-lf 1 15 'GET / HTTP/1.0\n\n'
http req-partial 1 15 'POST /x HTTP/1.1\r\nContent-Le'

# fuzz_lists: op byte (bit 0: list of names, or with bit 3: ALPN rather
# than groups; bits 1-2: the context), text.
lists() { { byte "$2"; printf "$3"; } >"$corpus/lists/$1"; }
lists string-tls13 0 'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256'
lists string-mixed 2 'TLS_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'
lists string-openssl 4 'ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA:NULL-SHA'
lists names-tls12 1 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\nTLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256'
lists names-psk 7 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256\nTLS_DHE_PSK_WITH_AES_128_GCM_SHA256'
lists names-empty 3 'TLS_AES_128_GCM_SHA256\n\n'
lists groups-mixed 8 'P-256:x25519,secp384r1:ffdhe2048'
lists groups-client 12 'X448:P-521:prime256v1'
lists alpn-http 9 'h2,http/1.1'
lists alpn-client 13 'spdy/3,acme-tls/1,h2'

du -sh "$corpus"
