# Certificate verification (issue #4): the "matrix" fixture generates a PKI
# with every case of docs/verification.md at test time (dates relative to
# now, nothing committed expires), and the tests assert each outcome.
# (TLSW_TEST_MATRIX: tests/CMakeLists.txt.)
add_test(NAME fixture_matrix
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/fixtures/gen-matrix.sh
          ${TLSW_TEST_MATRIX})
set_tests_properties(fixture_matrix PROPERTIES FIXTURES_SETUP matrix
  TIMEOUT 120)

foreach(t test_verify_matrix test_verify_callback test_verify_time
    test_verify_sni)
  tlsw_add_test(${t} ${t}.c LABELS verify)
  set_tests_properties(${t} PROPERTIES FIXTURES_REQUIRED "certs;matrix")
endforeach()

# The same failures against openssl s_server / s_client on 127.0.0.1.
tlsw_add_test(test_verify_peers test_verify_peers.c
  LABELS "verify;interop" TIMEOUT 180)
set_tests_properties(test_verify_peers PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")

# DTLS goes through the same verification.
tlsw_add_test(test_verify_dtls test_verify_dtls.c LABELS "verify;dtls")
set_tests_properties(test_verify_dtls PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")

# The host-name rules (core/hostname.c): the IP-literal parser against
# inet_pton, the matcher and SNI as tables (on the matrix's leaves).
tlsw_add_test(test_hostname test_hostname.c LABELS verify core)
target_compile_definitions(test_hostname PRIVATE
  TLSW_TEST_MATRIX="${TLSW_TEST_MATRIX}")
set_tests_properties(test_hostname PROPERTIES FIXTURES_REQUIRED "certs;matrix")

# The failure -> status -> message map and the other rules of
# core/policy.c, as tables; the old and new names of the session queries.
tlsw_add_test(test_policy test_policy.c LABELS verify core)

# The rules beyond the chain (issue #13): weak signatures, key usage, name
# constraints, as real handshakes over the in-memory pair.
# CRLs (leaf and whole chain): the test PKI's and the matrix's.
tlsw_add_test(test_crl test_crl.c LABELS core verify)
set_tests_properties(test_crl PROPERTIES FIXTURES_REQUIRED "certs;matrix")

tlsw_add_test(test_verify_rules test_verify_rules.c LABELS verify)
set_tests_properties(test_verify_rules PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")
