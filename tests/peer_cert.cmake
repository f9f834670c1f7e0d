# Library pieces added for the CLI (issue 15): the peer certificate kept
# after a failed verification (tlsw-client -v prints it).
tlsw_add_test(test_peer_cert_kept test_peer_cert_kept.c LABELS core)
