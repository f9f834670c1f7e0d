# cmake -P: FindWolfSSL.cmake refuses (1) wolfSSL headers without
# wolfssl/options.h and (2) headers whose version is not the library's.
# Inputs: SRC (tests/wolfssl/find), CMAKE_DIR (cmake/), WORK,
# SYS_INCLUDE (a real wolfSSL include dir), SYS_LIBRARY (its library).
function(expect_refusal name regex)
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SRC} -B ${WORK}/${name}
      -DTLSW_CMAKE_DIR=${CMAKE_DIR} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc EQUAL 0)
    message(FATAL_ERROR "${name}: FindWolfSSL accepted what it must refuse")
  endif()
  string(REGEX REPLACE "[ \n]+" " " flat "${out} ${err}")
  if(NOT flat MATCHES "${regex}")
    message(FATAL_ERROR "${name}: refused, but without the reason:\n${err}")
  endif()
  message(STATUS "${name}: refused as it should be")
endfunction()

file(REMOVE_RECURSE ${WORK})
# (1) A copy of the headers without options.h (what a --enable-distro
# install leaves behind).
file(COPY ${SYS_INCLUDE}/wolfssl DESTINATION ${WORK}/no-options/include)
file(REMOVE ${WORK}/no-options/include/wolfssl/options.h)
expect_refusal(no_options "have no wolfssl/options.h"
  -DWolfSSL_INCLUDE_DIR=${WORK}/no-options/include
  -DWolfSSL_LIBRARY=${SYS_LIBRARY})
# (2) The same headers claiming another version than the library's.
file(COPY ${SYS_INCLUDE}/wolfssl DESTINATION ${WORK}/other-version/include)
set(v ${WORK}/other-version/include/wolfssl/version.h)
file(READ ${v} text)
string(REGEX REPLACE "#define LIBWOLFSSL_VERSION_STRING \"[^\"]*\""
  "#define LIBWOLFSSL_VERSION_STRING \"9.9.9\"" text "${text}")
file(WRITE ${v} "${text}")
expect_refusal(other_version "come from different wolfSSL installations"
  -DWolfSSL_INCLUDE_DIR=${WORK}/other-version/include
  -DWolfSSL_LIBRARY=${SYS_LIBRARY})
file(REMOVE_RECURSE ${WORK})
message(STATUS "find_checks: 2 passed, 0 failed")
