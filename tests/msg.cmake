# The message trace (tlswrap/msg.h, src/core/trace.c and msg.c) over real
# handshakes in memory: TLS 1.3, TLS 1.2 (also split a byte a call), DTLS
# with its cookie exchange, an alert.
tlsw_add_test(test_msg test_msg.c LABELS core)
