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

# FindWolfSSL.cmake's refusals, against copies of an installed wolfSSL's
# headers (Debian's libwolfssl-dev, which setup.sh installs for the system
# build; skipped where there is none).
find_path(_tlsw_sys_wolfssl_inc wolfssl/options.h PATHS /usr/include
  NO_DEFAULT_PATH)
find_library(_tlsw_sys_wolfssl_lib NAMES wolfssl)
if(_tlsw_sys_wolfssl_inc AND _tlsw_sys_wolfssl_lib)
  add_test(NAME wolfssl_find_refusals
    COMMAND ${CMAKE_COMMAND} -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/wolfssl/find
      -DCMAKE_DIR=${PROJECT_SOURCE_DIR}/cmake
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/wolfssl-find-test
      -DSYS_INCLUDE=${_tlsw_sys_wolfssl_inc}
      -DSYS_LIBRARY=${_tlsw_sys_wolfssl_lib}
      -P ${CMAKE_CURRENT_SOURCE_DIR}/wolfssl/find_checks.cmake)
  set_tests_properties(wolfssl_find_refusals PROPERTIES LABELS wolfssl
    TIMEOUT 120 PASS_REGULAR_EXPRESSION "find_checks: 2 passed, 0 failed")
endif()
