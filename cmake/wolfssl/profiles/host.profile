# wolfSSL profile "host": the default on x86-64 and aarch64 hosts.
#
# One configure option (or one -D macro, added to CFLAGS) a line, each with
# its reason. A line "ARCH: option" applies only when the target processor
# (uname -m, or CMAKE_SYSTEM_PROCESSOR) is ARCH. cmake/wolfssl/build.sh
# adds the options every profile shares (static, PIC, no examples or test
# programs). Only what tlswrap uses is enabled, unlike Debian's
# --enable-distro, so the library that is linked into libtlswrap stays
# small.

# --- Protocols
# TLS 1.3 and 1.2; nothing older (RFC 8996).
--enable-tls13
--disable-oldtls
# DTLS 1.2, and DTLS 1.3 with Connection IDs (NAT rebinding) and a
# settable MTU.
--enable-dtls
--enable-dtls13
--enable-dtlscid
--enable-dtls-mtu
# 8-byte connection IDs (wolfSSL's default maximum is 2): the UDP server
# helper routes datagrams by the CID it gives each peer, and 2 bytes would
# collide within a few hundred peers (tlswrap's src/io/dtls_server.c).
# Costs 6 bytes of record-header buffer per session.
-DDTLS_CID_MAX_SIZE=8
# The TLS 1.3 middlebox-compatibility ChangeCipherSpec (RFC 8446 D.4): some
# firewalls drop TLS 1.3 without it. 5.7.2 has no configure switch for it.
-DWOLFSSL_TLS13_MIDDLEBOX_COMPAT

# --- Speed: what makes this build 2-30x faster than Debian's 5.5.4
# Single-precision math with assembly for P-256, P-384 and RSA-2048/3072/4096
# (sp-math-all keeps other sizes working, slower).
--enable-sp=yes
--enable-sp-asm
--enable-sp-math-all
# AES-NI, AVX1/AVX2 for AES-GCM, ChaCha20, Poly1305, SHA-2 (x86-64).
x86_64: --enable-intelasm
x86_64: --enable-aesni
# ARMv8 crypto extensions (aarch64).
aarch64: --enable-armasm
# No fixed-point ECC cache: it holds megabytes per thread and leaks in
# threads that exit without tlsw_thread_cleanup() (doc 5.5.4 §6); the SP
# code is faster without it.
--disable-fpecc

# --- Algorithms
# X25519 is the first key-exchange group (cheapest).
--enable-curve25519
# RSA-PSS: TLS 1.3 signs with PSS whenever the certificate is RSA.
--enable-rsapss
# HKDF for TLS 1.3 (enabled by TLS 1.3 anyway; named here for readers).
--enable-hkdf
# Encrypted private keys (PKCS#8 and traditional PEM, with DES3 for old
# files) for tlsw_ctx_load_cert_chain's password.
--enable-enckeys
--enable-pwdbased
--enable-des3

# --- Features tlswrap's API offers
--enable-sni
--enable-alpn
--enable-session-ticket
--enable-psk
--enable-crl
# OCSP stapling on the client (tlsw_ctx_set_ocsp_stapling): the
# status_request extension and the verification of the staple the server
# sends (TLS 1.2 CertificateStatus, TLS 1.3 in the leaf's Certificate
# entry). --enable-ocsp brings the OCSP response parser and verifier that
# stapling needs; tlswrap never enables wolfSSL's own responder lookups
# (wolfSSL_CTX_EnableOCSP), which would open a socket (src/backend/wolfssl/
# ocsp.c refuses them outright too). No --enable-ocspstapling2: RFC 6961's
# status_request_v2 is obsolete (RFC 8446 folds it into TLS 1.3) and no
# Debian peer sends it.
--enable-ocsp
--enable-ocspstapling
--enable-keying-material
--enable-maxfragment
# Load /etc/ssl/certs (tlsw_ctx_load_default_certs) and CA directories.
--enable-sys-ca-certs
# No OpenSSL-compatibility layer (--enable-opensslextra/opensslall): the
# backend is on wolfSSL's native API, and OPENSSL_EXTRA forces
# KEEP_PEER_CERT, a decoded WOLFSSL_X509 of the peer's leaf in every client
# session (with OPENSSL_ALL an EVP_PKEY of its key too): measured 15,105 B
# per idle TLS 1.3 client session. Server SNI switches chains and ALPN
# takes the server's order through native calls instead (sni.c, alpn.c).
# Resumption's session serialisation (wolfSSL_i2d_SSL_SESSION), which
# OPENSSL_EXTRA brought along:
-DHAVE_EXT_CACHE
# No --enable-sessioncerts: SESSION_CERTS puts two 9-slot copies of the
# peer's chain (the chain and the alternative chain, 2 KB a slot) in every
# session object, client and server: measured 37,456 B per idle TLS 1.3
# session on each side. tlsw_session_peer_cert() reads the leaf the verify
# callback copied (src/backend/wolfssl/verify.c).
# A chain that reaches a trusted CA through an intermediate is accepted
# even when the peer sends extra certificates (what Debian's build does).
--enable-altcertchains
# The verify callback runs for every certificate, also when wolfSSL found
# no error: tlswrap checks host name, key size and dates there.
-DWOLFSSL_ALWAYS_VERIFY_CB
-DWOLFSSL_VERIFY_CB_ALL_CERTS
# Send the alert a failure deserves (e.g. decode_error) rather than none.
-DWOLFSSL_EXTRA_ALERTS
# Key log (tlsw_ctx_set_keylog_callback, SSLKEYLOGFILE in the tools):
# wolfSSL's secret hooks only, silent unless a callback is set. Not
# --enable-keylog-export, which also makes wolfSSL write a file itself.
-DHAVE_SECRET_CALLBACK
