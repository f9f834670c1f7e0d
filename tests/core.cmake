# Unit tests of the core and the transports, label core: one cmocka
# program (one ctest test) per area, through the public API where it can:
# statuses (src/core/status.c), the memory transport (src/io/membuf.c),
# files (core/file.c), DER parsing (core/der.c), contexts (core/context.c),
# sessions (core/session.c and the backend's session half, in memory and
# through the fault-injecting transport of support/fault_io.h) and the
# socket transport (io/socket.c). Other areas have their own tests/*.cmake,
# and some of those tests carry the core label too (test_msg,
# test_session_size, test_hostname, test_peer_cert_kept, test_regress).
tlsw_add_test(test_status test_status.c LABELS core)
tlsw_add_test(test_membuf test_membuf.c LABELS core)
tlsw_add_test(test_file test_file.c LABELS core)
tlsw_add_test(test_der test_der.c LABELS core)
tlsw_add_test(test_context test_context.c LABELS core)
tlsw_add_test(test_session test_session.c LABELS core TIMEOUT 600)
tlsw_add_test(test_alpn test_alpn.c LABELS core interop)
tlsw_add_test(test_groups test_groups.c LABELS core interop)
tlsw_add_test(test_sni test_sni.c LABELS core interop)
tlsw_add_test(test_cert test_cert.c LABELS core)
tlsw_add_test(test_key_update test_key_update.c LABELS core)
tlsw_add_test(test_session_user test_session_user.c LABELS core)
tlsw_add_test(test_ticket_keys test_ticket_keys.c LABELS core)
tlsw_add_test(test_peer_chain test_peer_chain.c LABELS core)
tlsw_add_test(test_zero_io test_zero_io.c LABELS core)
tlsw_add_test(test_secrets test_secrets.c LABELS core interop)
tlsw_add_test(test_resume test_resume.c LABELS core interop)
tlsw_add_test(test_close test_close.c LABELS core)
# test_socket also drives a real peer (gnutls-serv) with the support
# helpers that start and stop child processes (support/peer.h).
tlsw_add_test(test_socket test_socket.c LABELS core TIMEOUT 300)
