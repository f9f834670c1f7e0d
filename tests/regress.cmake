# Regression tests for wolfSSL defects reachable through the public API,
# each run with the input that showed it (tests/test_regress.c).
tlsw_add_test(test_regress test_regress.c LABELS core regress)
# The allocation-failure sweep (issue 13): every allocation of a
# connection's life failed in turn, TLS 1.3 and 1.2.
tlsw_add_test(test_alloc_sweep test_alloc_sweep.c LABELS core sweep TIMEOUT 600)
# The seeded transport-fault sweep (issue 13): short counts, would-block,
# EOF, EIO and resets at random calls of either side, TLS 1.3 and 1.2.
tlsw_add_test(test_fault_sweep test_fault_sweep.c LABELS core sweep TIMEOUT 600)
