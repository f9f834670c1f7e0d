# Regression tests for wolfSSL defects reachable through the public API,
# each run with the input that showed it (tests/test_regress.c).
tlsw_add_test(test_regress test_regress.c LABELS core regress)
