# The wolfSSL tlswrap is built on (cmake/TlswWolfSSL.cmake): the pinned
# source's cache works offline and refuses a source that is not the pin's,
# and the library and tools name the build they run on.
if(TLSW_WOLFSSL STREQUAL "source" AND EXISTS ${TLSW_WOLFSSL_CACHE_DIR}/dl)
  add_test(NAME wolfssl_fetch_cache
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/wolfssl/fetch_cache.sh
      ${PROJECT_SOURCE_DIR} ${TLSW_WOLFSSL_CACHE_DIR}/dl
      ${CMAKE_CURRENT_BINARY_DIR}/wolfssl-fetch-test)
  set_tests_properties(wolfssl_fetch_cache PROPERTIES LABELS wolfssl
    TIMEOUT 120 PASS_REGULAR_EXPRESSION "fetch_cache: 2 passed, 0 failed")
endif()
if(TARGET tlsw-client)
  string(REPLACE "." "\\." _v "${WolfSSL_VERSION}")
  add_test(NAME wolfssl_version_named COMMAND tlsw-client --version)
  set_tests_properties(wolfssl_version_named PROPERTIES LABELS wolfssl
    TIMEOUT 30
    PASS_REGULAR_EXPRESSION "\\(wolfSSL ${_v}, ${TLSW_WOLFSSL_BUILD}\\)")
endif()
