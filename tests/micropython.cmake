# MicroPython adapter (issue #6). MicroPython itself cannot be fetched in
# CI, so what is tested here is what the adapter relies on: its mbedTLS
# error/cipher tables (plain C) and the core features it uses, against the
# certificate "matrix" fixture from verify.cmake.
tlsw_add_test(test_mp_compat test_mp_compat.c
  ${PROJECT_SOURCE_DIR}/src/adapters/micropython/tlsw_mp_map.c
  LABELS micropython)
target_include_directories(test_mp_compat PRIVATE
  ${PROJECT_SOURCE_DIR}/src/adapters/micropython)
target_compile_definitions(test_mp_compat PRIVATE
  TLSW_TEST_MATRIX="${CMAKE_CURRENT_BINARY_DIR}/matrix")
set_tests_properties(test_mp_compat PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")
