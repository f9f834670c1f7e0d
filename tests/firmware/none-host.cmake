# cmake -DSRC=<tlswrap> -DBIN=<dir> -DCC=<gcc> -DCACHE=<wolfSSL cache>
#       [-DWSRC=<wolfSSL tree>] -P none-host.cmake
#
# Configures, builds (-Werror) and tests a TLSW_PLATFORM=none build of SRC
# on the host (tests/firmware.cmake says why).
set(args -S ${SRC} -B ${BIN} -DCMAKE_C_COMPILER=${CC}
  -DCMAKE_BUILD_TYPE=MinSizeRel -DTLSW_WERROR=ON -DTLSW_PLATFORM=none
  -DTLSW_WOLFSSL_PROFILE=firmware -DTLSW_WOLFSSL_CACHE_DIR=${CACHE})
if(WSRC)
  list(APPEND args -DTLSW_WOLFSSL_SOURCE_DIR=${WSRC})
endif()
foreach(step "${args}" "--build;${BIN};-j2" "")
  if(step STREQUAL "")
    execute_process(COMMAND ctest --test-dir ${BIN} --output-on-failure
      RESULT_VARIABLE rc)
    set(what "the none build's tests")
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} ${step} RESULT_VARIABLE rc)
    set(what "cmake ${step}")
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endforeach()
