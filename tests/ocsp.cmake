# OCSP stapling on the client against openssl s_server -status_file on
# 127.0.0.1 (the responses: tests/fixtures/gen-certs.sh). Skipped (77) on
# a build without TLSW_FEATURE_OCSP.
tlsw_add_test(test_ocsp test_ocsp.c LABELS "verify;interop" TIMEOUT 180)
set_tests_properties(test_ocsp PROPERTIES FIXTURES_REQUIRED "certs;matrix"
  SKIP_RETURN_CODE 77)
