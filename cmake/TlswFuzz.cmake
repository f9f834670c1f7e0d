# TLSW_FUZZ=ON: libFuzzer targets (tests/fuzz, docs/reliability.md).
#
# The whole build (tlswrap, wolfSSL from source, the tools) is compiled
# with ASan + UBSan and libFuzzer's coverage instrumentation
# (fuzzer-no-link), so the fuzzer is guided by the branches of wolfSSL as
# well as tlswrap's, and a memory error anywhere aborts the run. Only the
# fuzz_<name> executables link libFuzzer itself (-fsanitize=fuzzer).
option(TLSW_FUZZ "Build the libFuzzer targets fuzz_<name> (clang only)" OFF)

if(NOT TLSW_FUZZ)
  return()
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "TLSW_FUZZ=ON needs clang (libFuzzer is part of "
    "clang; Debian: clang and libclang-rt-14-dev), but the C compiler is "
    "${CMAKE_C_COMPILER_ID} (${CMAKE_C_COMPILER}): configure with "
    "-DCMAKE_C_COMPILER=clang")
endif()
if(TLSW_SANITIZE)
  message(STATUS "TLSW_FUZZ=ON brings its own sanitizers; TLSW_SANITIZE is "
    "ignored")
endif()

set(TLSW_FUZZ_FLAGS "-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer")
# Read by TlswWolfSSL.cmake: the flags that reach wolfSSL's build, part of
# its identity, so the fuzzing wolfSSL is a cached build of its own.
# WC_RNG_SEED_CB: wolfSSL takes its entropy from a callback, which the fuzz
# targets set (tests/fuzz/fuzz_common.c) to a fixed seed per session, so
# that an input always takes the same path and a recorded peer's flight
# stays valid when replayed (same randoms, same key shares). Such a
# wolfSSL has no entropy source of its own: this build is for the fuzz
# targets only, so the tools, the tests and the Lua module are left out.
set(TLSW_FUZZ_WOLFSSL_FLAGS "${TLSW_FUZZ_FLAGS} -DWC_RNG_SEED_CB")
foreach(_v TLSW_BUILD_TESTS TLSW_BUILD_EXAMPLES TLSW_BUILD_LUA TLSW_BUILD_BENCH)
  if(${_v})
    message(STATUS "TLSW_FUZZ=ON: ${_v} ignored (the fuzzing wolfSSL has no "
      "entropy source of its own)")
  endif()
  set(${_v} OFF)
endforeach()
separate_arguments(_tlsw_fuzz_flags UNIX_COMMAND "${TLSW_FUZZ_FLAGS}")
add_compile_options(${_tlsw_fuzz_flags})
# Every executable of this build (the tools, the tests if enabled) links
# the sanitizer runtimes; only the fuzz targets add libFuzzer.
add_link_options(-fsanitize=address,undefined)

if(TLSW_WOLFSSL STREQUAL "system")
  message(FATAL_ERROR "TLSW_FUZZ=ON needs the source build of wolfSSL "
    "(TLSW_WOLFSSL=source, the default): wolfSSL itself is compiled with "
    "the sanitizers and a seed callback")
endif()

# The targets need tlswrap_static and WolfSSL::WolfSSL, which the top-level
# CMakeLists.txt defines after this file: declare them once it is done
# (tests/fuzz/targets.cmake, in the top-level directory's scope).
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR}
  CALL include ${PROJECT_SOURCE_DIR}/tests/fuzz/targets.cmake)
