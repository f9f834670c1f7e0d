# MicroPython adapter (issue #6). Without MicroPython, what is tested here
# is what the adapter relies on: its mbedTLS error/cipher tables (plain C)
# and the core features it uses, against the certificate "matrix" fixture
# from verify.cmake.
tlsw_add_test(test_mp_compat test_mp_compat.c
  ${PROJECT_SOURCE_DIR}/src/adapters/micropython/tlsw_mp_map.c
  LABELS micropython)
target_include_directories(test_mp_compat PRIVATE
  ${PROJECT_SOURCE_DIR}/src/adapters/micropython)
set_tests_properties(test_mp_compat PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")

# The module itself, when a MicroPython unix binary built with it is at
# hand (-DTLSW_MICROPYTHON=<path>/micropython; build it as
# src/adapters/micropython/README.md says, against this tree's
# libtlswrap.a, or with scripts/micropython-build.sh, as CI does:
# build/_micropython/bin/micropython from Debian's MicroPython source).
# The binary carries the libtlswrap.a it was linked with, so rebuild it
# after changing the library (the script relinks when the library is
# newer). Without one the test is reported as skipped, not silently absent.
set(TLSW_MICROPYTHON "" CACHE FILEPATH
  "micropython unix binary built with src/adapters/micropython (optional)")
# One test per file tests/micropython/test_NAME.py, named mp_NAME.
set(_tlsw_mp_tests dtls_junk alpn session extras)
foreach(t ${_tlsw_mp_tests})
  if(TLSW_MICROPYTHON)
    add_test(NAME mp_${t} COMMAND ${TLSW_MICROPYTHON}
      ${CMAKE_CURRENT_SOURCE_DIR}/micropython/test_${t}.py)
    set_tests_properties(mp_${t} PROPERTIES LABELS micropython
      FIXTURES_REQUIRED certs TIMEOUT 60 SKIP_RETURN_CODE 77
      ENVIRONMENT "TLSW_TEST_CERTS=${TLSW_TEST_CERTS}")
  else()
    add_test(NAME mp_${t} COMMAND ${CMAKE_COMMAND} -E echo
      "micropython: SKIPPED: no TLSW_MICROPYTHON binary configured")
    set_tests_properties(mp_${t} PROPERTIES LABELS micropython
      SKIP_REGULAR_EXPRESSION "micropython: SKIPPED")
  endif()
endforeach()
