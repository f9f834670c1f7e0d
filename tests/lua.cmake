# Lua 5.4 adapter tests (label "lua"): Lua scripts run by the lua5.4
# interpreter with LUA_CPATH pointing at the built tlswrap.so. A script exits
# 77 (skipped) when an optional peer (LuaSocket, LuaSec) is missing.
if(NOT TARGET tlswrap_lua)
  message(STATUS "tlswrap: Lua module not built; Lua tests skipped")
  return()
endif()
find_program(TLSW_LUA54 NAMES lua5.4 lua54)
if(NOT TLSW_LUA54)
  message(STATUS "tlswrap: no lua5.4 interpreter; Lua tests skipped")
  return()
endif()
find_program(TLSW_VALGRIND valgrind)

add_executable(tlsw_lua_echo_server lua/echo_server.c)
target_link_libraries(tlsw_lua_echo_server PRIVATE tlswrap_static)
tlsw_set_warnings(tlsw_lua_echo_server)

# The search paths are set with -e rather than LUA_PATH/LUA_CPATH, whose ';'
# separators would split ctest's ENVIRONMENT list.
set(_tlsw_lua_paths -e "package.path='${CMAKE_CURRENT_SOURCE_DIR}/lua/?.lua\\;'..package.path package.cpath='$<TARGET_FILE_DIR:tlswrap_lua>/?.so\\;'..package.cpath")
set(_tlsw_lua_env
  "TLSW_TEST_CERTS=${TLSW_TEST_CERTS}"
  "TLSW_LUA_ECHO_SERVER=$<TARGET_FILE:tlsw_lua_echo_server>"
  "TLSW_LUA=${TLSW_LUA54}")

# A sanitized module needs the sanitizer runtime in the (uninstrumented)
# interpreter: preload it. Leak checking is valgrind's job here (below), as
# LSan would report the interpreter's own exit-time allocations.
if(TLSW_SANITIZE)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    set(_tlsw_san_libs libclang_rt.asan-${CMAKE_SYSTEM_PROCESSOR}.so)
  else()
    set(_tlsw_san_libs libasan.so libubsan.so)
  endif()
  set(_tlsw_preload "")
  foreach(lib ${_tlsw_san_libs})
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=${lib}
      OUTPUT_VARIABLE _p OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(APPEND _tlsw_preload ":${_p}")
  endforeach()
  string(SUBSTRING "${_tlsw_preload}" 1 -1 _tlsw_preload)
  list(APPEND _tlsw_lua_env "LD_PRELOAD=${_tlsw_preload}"
    "ASAN_OPTIONS=detect_leaks=0")
endif()

function(tlsw_add_lua_test name script timeout)
  add_test(NAME ${name} COMMAND ${TLSW_LUA54} ${_tlsw_lua_paths}
    ${CMAKE_CURRENT_SOURCE_DIR}/lua/${script} ${ARGN})
  set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED certs
    TIMEOUT ${timeout} LABELS lua SKIP_RETURN_CODE 77
    ENVIRONMENT "${_tlsw_lua_env}")
endfunction()

tlsw_add_lua_test(lua_api test_api.lua 60)
tlsw_add_lua_test(lua_interop test_interop.lua 120)
tlsw_add_lua_test(lua_luasec test_luasec.lua 120)
tlsw_add_lua_test(lua_select test_select.lua 60)
tlsw_add_lua_test(lua_examples test_examples.lua 60)
tlsw_add_lua_test(lua_dtls test_dtls.lua 60)

# 1,000 in-process connections under valgrind: no definite leak, no error.
# About 40 s of CPU (each one a full TLS 1.3 ECDHE-ECDSA handshake under
# memcheck); the timeout leaves room for a loaded machine.
if(TLSW_VALGRIND AND NOT TLSW_SANITIZE)
  add_test(NAME lua_valgrind COMMAND ${TLSW_VALGRIND} --quiet
    --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1
    ${TLSW_LUA54} ${_tlsw_lua_paths}
    ${CMAKE_CURRENT_SOURCE_DIR}/lua/leak_loop.lua 1000)
  set_tests_properties(lua_valgrind PROPERTIES FIXTURES_REQUIRED certs
    TIMEOUT 600 LABELS "lua;valgrind" ENVIRONMENT "${_tlsw_lua_env}")
endif()
