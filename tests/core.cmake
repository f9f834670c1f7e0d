# Core unit tests: one program per area (statuses, memory transport, files,
# DER reader, contexts, sessions with the fault-injecting transports,
# sockets); the host-name matcher and the failure map are in verify.cmake.
tlsw_add_test(test_status test_status.c LABELS core)
tlsw_add_test(test_membuf test_membuf.c LABELS core)
tlsw_add_test(test_file test_file.c LABELS core)
tlsw_add_test(test_der test_der.c LABELS core)
tlsw_add_test(test_context test_context.c LABELS core)
tlsw_add_test(test_session test_session.c LABELS core TIMEOUT 600)
# test_socket also drives a real peer (gnutls-serv) with the support
# helpers that start and stop child processes (support/peer.h).
tlsw_add_test(test_socket test_socket.c LABELS core TIMEOUT 300)
