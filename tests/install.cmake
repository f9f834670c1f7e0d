# Install test: install this build into a prefix under the build tree and
# build a separate consumer project against it, with find_package(tlswrap)
# and with pkg-config (see tests/consumer/run.cmake). Needs the whole build
# done first, which ctest after `cmake --build` guarantees.
set(_tlsw_install_flags "")
if(TLSW_SANITIZE)
  set(_tlsw_install_flags "-fsanitize=address,undefined")
endif()
add_test(NAME install_consumer
  COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${PROJECT_BINARY_DIR}
    -DSRC=${CMAKE_CURRENT_SOURCE_DIR}/consumer
    -DHEADERS_DIR=${PROJECT_SOURCE_DIR}/include/tlswrap
    -DWORK=${CMAKE_CURRENT_BINARY_DIR}/install-test
    -DCC=${CMAKE_C_COMPILER}
    -DCONFIG=$<CONFIG>
    -DEXTRA_FLAGS=${_tlsw_install_flags}
    -DWOLFSSL=${TLSW_WOLFSSL}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/consumer/run.cmake)
set_tests_properties(install_consumer PROPERTIES LABELS install TIMEOUT 300)
