# Core unit tests: one program per source file, plus the fault-injecting
# transport tests (test_session).
tlsw_add_test(test_status test_status.c LABELS core)
tlsw_add_test(test_membuf test_membuf.c LABELS core)
tlsw_add_test(test_file test_file.c LABELS core)
tlsw_add_test(test_der test_der.c LABELS core)
tlsw_add_test(test_context test_context.c LABELS core)
tlsw_add_test(test_session test_session.c LABELS core TIMEOUT 600)
# test_socket also drives a real peer (gnutls-serv) with the support
# helpers that start and stop child processes (support/peer.h).
tlsw_add_test(test_socket test_socket.c LABELS core TIMEOUT 300)
