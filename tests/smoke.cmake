tlsw_add_test(test_smoke test_smoke.c)
