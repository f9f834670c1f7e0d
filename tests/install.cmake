# Install test: install this build into a prefix under the build tree,
# check every installed file against what this configuration must install,
# and build a separate consumer project against it, with find_package(tlswrap)
# and with pkg-config (see tests/consumer/run.cmake). Needs the whole build
# done first, which ctest after `cmake --build` guarantees. The static-only
# and shared-only configurations are tested by tests/packaging.cmake.
set(_tlsw_install_flags "")
if(TLSW_SANITIZE)
  set(_tlsw_install_flags "-fsanitize=address,undefined")
endif()
set(_tlsw_tools "")
if(TARGET tlsw-client)
  set(_tlsw_tools tlsw-client tlsw-server)
endif()
if(TARGET tlswrap_lua)
  set(_tlsw_lua ON)
else()
  set(_tlsw_lua OFF)
endif()
add_test(NAME install_consumer
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/consumer
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DWORK=${CMAKE_CURRENT_BINARY_DIR}/install-test
    -DCC=${CMAKE_C_COMPILER}
    -DCONFIG=$<CONFIG>
    -DEXTRA_FLAGS=${_tlsw_install_flags}
    -DWOLFSSL=${TLSW_WOLFSSL}
    -DSTATIC=${TLSW_BUILD_STATIC}
    -DSHARED=${TLSW_BUILD_SHARED}
    -DVERSION=${PROJECT_VERSION}
    -DSOVERSION=${TLSW_SOVERSION}
    -DMANIFEST=ON
    -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
    -DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}
    -DBINDIR=${CMAKE_INSTALL_BINDIR}
    -DDOCDIR=${CMAKE_INSTALL_DOCDIR}
    -DMANDIR=${CMAKE_INSTALL_MANDIR}
    "-DTOOLS=${_tlsw_tools}"
    -DLUA=${_tlsw_lua}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.cmake)
set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 300)
