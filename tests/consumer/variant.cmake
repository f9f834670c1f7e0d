# cmake -P driver for the static-only and shared-only install tests
# (tests/packaging.cmake): configure and build the library alone (no tests,
# tools or Lua module) from SOURCE_DIR in WORK/build with -DBUILD_SHARED_LIBS
# set as given, check that TLSW_BUILD_STATIC/SHARED took their defaults
# from it, then hand the build to run.cmake (install, manifest, consumers).
# Inputs: SOURCE_DIR, WORK, SHARED_LIBS (ON/OFF), CC, CONFIG, EXTRA_FLAGS,
# WOLFSSL, WOLFSSL_CACHE_DIR, WOLFSSL_PROFILE, WOLFSSL_SOURCE_DIR, SANITIZE,
# VERSION, SOVERSION, LIBDIR, INCLUDEDIR, BINDIR, DOCDIR, MANDIR.
# The wolfSSL build is the parent's: the same cache, compiler and flags give
# the same build identity, so nothing of wolfSSL is rebuilt.
cmake_minimum_required(VERSION 3.20)

include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)

set(build ${WORK}/build)
file(REMOVE_RECURSE ${build})
set(args -S ${SOURCE_DIR} -B ${build} -DBUILD_SHARED_LIBS=${SHARED_LIBS}
  -DCMAKE_C_COMPILER=${CC} -DCMAKE_BUILD_TYPE=${CONFIG}
  -DTLSW_BUILD_TESTS=OFF -DTLSW_BUILD_EXAMPLES=OFF -DTLSW_BUILD_LUA=OFF
  -DTLSW_SANITIZE=${SANITIZE} -DTLSW_WOLFSSL=${WOLFSSL})
if(WOLFSSL STREQUAL "source")
  list(APPEND args -DTLSW_WOLFSSL_CACHE_DIR=${WOLFSSL_CACHE_DIR}
    -DTLSW_WOLFSSL_PROFILE=${WOLFSSL_PROFILE})
  if(WOLFSSL_SOURCE_DIR)
    list(APPEND args -DTLSW_WOLFSSL_SOURCE_DIR=${WOLFSSL_SOURCE_DIR})
  endif()
endif()
run(${CMAKE_COMMAND} ${args})
if(run_out MATCHES "Building wolfSSL")
  message(STATUS "note: the variant build rebuilt wolfSSL (its identity "
    "differs from the parent's)")
endif()
if(SHARED_LIBS)
  set(want_static OFF)
  set(want_shared ON)
else()
  set(want_static ON)
  set(want_shared OFF)
endif()
file(STRINGS ${build}/CMakeCache.txt cache REGEX "^TLSW_BUILD_(STATIC|SHARED):")
foreach(line ${cache})
  string(REGEX MATCH "^TLSW_BUILD_([A-Z]+):BOOL=(.*)$" _ "${line}")
  string(TOLOWER ${CMAKE_MATCH_1} which)
  if(NOT CMAKE_MATCH_2 STREQUAL want_${which})
    message(FATAL_ERROR "BUILD_SHARED_LIBS=${SHARED_LIBS} gave ${line}, "
      "expected ${want_${which}}")
  endif()
endforeach()
# One job: ctest runs other tests beside this one.
run(${CMAKE_COMMAND} --build ${build} --config ${CONFIG} --parallel 1)

execute_process(COMMAND ${CMAKE_COMMAND}
    -DBUILD_DIR=${build} -DSRC=${SOURCE_DIR}/tests/consumer
    -DSOURCE_DIR=${SOURCE_DIR} -DWORK=${WORK}/install -DCC=${CC}
    -DCONFIG=${CONFIG} -DEXTRA_FLAGS=${EXTRA_FLAGS} -DWOLFSSL=${WOLFSSL}
    -DSTATIC=${want_static} -DSHARED=${want_shared}
    -DVERSION=${VERSION} -DSOVERSION=${SOVERSION} -DMANIFEST=ON
    -DLIBDIR=${LIBDIR} -DINCLUDEDIR=${INCLUDEDIR} -DBINDIR=${BINDIR}
    -DDOCDIR=${DOCDIR} -DMANDIR=${MANDIR} -DTOOLS= -DLUA=OFF
    -P ${SOURCE_DIR}/tests/consumer/run.cmake
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install test of the BUILD_SHARED_LIBS=${SHARED_LIBS} build failed (above)")
endif()
