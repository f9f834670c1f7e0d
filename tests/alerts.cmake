# One fatal alert, then silence (tests/test_alerts.c).
tlsw_add_test(test_alerts test_alerts.c LABELS core regress)
