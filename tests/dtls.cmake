# DTLS 1.2: stateless HelloVerify cookies, timers, records (in memory),
# constant memory under a ClientHello flood, and the UDP server helper with
# real peers (openssl, gnutls) on 127.0.0.1.
tlsw_add_test(test_dtls test_dtls.c LABELS dtls)
tlsw_add_test(test_dtls_flood test_dtls_flood.c LABELS dtls)
tlsw_add_test(test_dtls_loss test_dtls_loss.c LABELS dtls)
# DTLS 1.3 in memory, tlswrap against itself (skipped without
# TLSW_FEATURE_DTLS13).
tlsw_add_test(test_dtls13 test_dtls13.c LABELS dtls)
tlsw_add_test(test_dtls_udp test_dtls_udp.c LABELS dtls interop TIMEOUT 180)
# The helper's handshake deadline and eviction of the oldest handshaking
# peer when its table is full (stalled peers on 127.0.0.1).
tlsw_add_test(test_dtls_server test_dtls_server.c LABELS dtls TIMEOUT 60)

# Figures for docs/dtls.md (not a test: timing is never asserted).
add_executable(bench_dtls bench_dtls.c)
target_link_libraries(bench_dtls PRIVATE tlsw_testsupport)
tlsw_set_warnings(bench_dtls)
# DTLS connection IDs: negotiation in memory, and the UDP helper keeping a
# client's session across a source-port change on 127.0.0.1 (skipped
# without TLSW_FEATURE_DTLS_CID).
tlsw_add_test(test_dtls_cid test_dtls_cid.c LABELS dtls TIMEOUT 60)
