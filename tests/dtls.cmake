# DTLS 1.2: stateless HelloVerify cookies, timers, records (in memory),
# constant memory under a ClientHello flood, and the UDP server helper with
# real peers (openssl, gnutls) on 127.0.0.1.
tlsw_add_test(test_dtls test_dtls.c test_dtls_util.c LABELS dtls)
