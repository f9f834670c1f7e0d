# Command-line tools (label "cli"): the DER/X.509 reader as a unit, then the
# binaries driven as a user would, against openssl, gnutls and curl, all on
# 127.0.0.1 with bounded times.
if(TARGET tlsw-client AND TARGET tlsw-server)
  tlsw_add_test(test_cli_x509 cli/test_x509_info.c
    ${PROJECT_SOURCE_DIR}/examples/common/x509_info.c LABELS cli)
  target_include_directories(test_cli_x509 PRIVATE
    ${PROJECT_SOURCE_DIR}/examples/common)

  tlsw_add_test(test_cli_http cli/test_http.c
    ${PROJECT_SOURCE_DIR}/examples/common/http.c LABELS cli)
  target_include_directories(test_cli_http PRIVATE
    ${PROJECT_SOURCE_DIR}/examples/common)
  target_compile_definitions(test_cli_http PRIVATE _POSIX_C_SOURCE=200809L)

  # The server's admission policy, rule by rule (starve.py is the load).
  tlsw_add_test(test_cli_policy cli/test_policy.c
    ${PROJECT_SOURCE_DIR}/examples/server/policy.c
    ${PROJECT_SOURCE_DIR}/examples/server/conn.c LABELS cli)
  target_include_directories(test_cli_policy PRIVATE
    ${PROJECT_SOURCE_DIR}/examples)
  target_link_libraries(test_cli_policy PRIVATE tlsw_cli_common)

  add_executable(tlsw_freeport cli/freeport.c)
  target_compile_definitions(tlsw_freeport PRIVATE _POSIX_C_SOURCE=200809L)
  target_link_libraries(tlsw_freeport PRIVATE tlsw_testsupport)
  tlsw_set_warnings(tlsw_freeport)

  # poll() that fails on demand, for the server's exit status 6.
  add_library(tlsw_failpoll MODULE cli/failpoll.c)
  target_link_libraries(tlsw_failpoll PRIVATE ${CMAKE_DL_LIBS})
  # getaddrinfo() giving ::1 then 127.0.0.1 for one name, for dtls_fallback.
  add_library(tlsw_dualhost MODULE cli/dualhost.c)
  target_link_libraries(tlsw_dualhost PRIVATE ${CMAKE_DL_LIBS})

  # bugs.sh also checks the Lua module's error names, when there is one.
  set(_tlsw_cli_lua "")
  find_program(TLSW_LUA54 NAMES lua5.4 lua54)
  if(TARGET tlswrap_lua AND TLSW_LUA54)
    set(_tlsw_cli_lua ";TLSW_LUA=${TLSW_LUA54};TLSW_LUA_CPATH=$<TARGET_FILE_DIR:tlswrap_lua>")
  endif()
  foreach(t interop_openssl interop_gnutls alpn groups sni crl ocsp versions keylog resume http concurrency exit_codes dtls options
      bugs verbose www starttls msg dtls_fallback)
    add_test(NAME cli_${t}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/${t}.sh)
    set_tests_properties(cli_${t} PROPERTIES FIXTURES_REQUIRED certs
      LABELS cli TIMEOUT 300
      ENVIRONMENT "TLSW_TEST_CERTS=${TLSW_TEST_CERTS};TLSW_CLIENT=$<TARGET_FILE:tlsw-client>;TLSW_SERVER=$<TARGET_FILE:tlsw-server>;FREEPORT=$<TARGET_FILE:tlsw_freeport>;TLSW_CLI_LIB=${CMAKE_CURRENT_SOURCE_DIR}/cli/lib.sh;FAILPOLL_LIB=$<TARGET_FILE:tlsw_failpoll>;DUALHOST_LIB=$<TARGET_FILE:tlsw_dualhost>;TLSW_CLI_DOCS=${PROJECT_SOURCE_DIR}/docs/cli.md${_tlsw_cli_lua}")
  endforeach()
  # Skipped (77) where the wolfSSL build has no OCSP stapling.
  set_tests_properties(cli_ocsp PROPERTIES SKIP_RETURN_CODE 77)

  # Hostile load (issue #13): 1,000 silent plus 256 idle-after-handshake
  # connections held open, then legitimate clients timed to their first
  # echoed byte; once with the defaults, once with a per-address cap that
  # all of them (on 127.0.0.1) run into.
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_Interpreter_FOUND)
    foreach(v "starve;" "starve_cap;--max-per-addr;64")
      list(GET v 0 name)
      list(SUBLIST v 1 -1 args)
      add_test(NAME cli_${name}
        COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/cli/starve.py
          ${args})
      set_tests_properties(cli_${name} PROPERTIES FIXTURES_REQUIRED certs
        LABELS cli TIMEOUT 120 SKIP_RETURN_CODE 77
        ENVIRONMENT "TLSW_TEST_CERTS=${TLSW_TEST_CERTS};TLSW_CLIENT=$<TARGET_FILE:tlsw-client>;TLSW_SERVER=$<TARGET_FILE:tlsw-server>")
    endforeach()
  else()
    message(STATUS "cli_starve: SKIPPED: python3 not found at configure time")
  endif()
endif()
