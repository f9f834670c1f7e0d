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
if(TLSW_VALGRIND)
  add_test(NAME lua_valgrind COMMAND ${TLSW_VALGRIND} --quiet
    --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1
    ${TLSW_LUA54} ${_tlsw_lua_paths}
    ${CMAKE_CURRENT_SOURCE_DIR}/lua/leak_loop.lua 1000)
  set_tests_properties(lua_valgrind PROPERTIES FIXTURES_REQUIRED certs
    TIMEOUT 300 LABELS "lua;valgrind" ENVIRONMENT "${_tlsw_lua_env}")
endif()
