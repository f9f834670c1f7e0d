# The none platform on the host (issue #11): a sub-build with
# TLSW_PLATFORM=none, gcc and -Werror on the firmware wolfSSL profile
# (user_settings.h: NO_FILESYSTEM, SP math, single-threaded), whose firmware
# programs then run natively (tests/firmware/). It keeps the firmware path
# compiling and working between QEMU runs (the cortex-m4 preset). The
# wolfSSL build is cached in TLSW_WOLFSSL_CACHE_DIR like every other.
find_program(TLSW_GCC gcc)
if(TLSW_WOLFSSL STREQUAL "source" AND TLSW_GCC AND NOT TLSW_FUZZ)
  add_test(NAME firmware_none_host
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}
            -DBIN=${CMAKE_CURRENT_BINARY_DIR}/none-host -DCC=${TLSW_GCC}
            -DCACHE=${TLSW_WOLFSSL_CACHE_DIR}
            "-DWSRC=${TLSW_WOLFSSL_SOURCE_DIR}"
            -P ${CMAKE_CURRENT_SOURCE_DIR}/firmware/none-host.cmake)
  set_tests_properties(firmware_none_host PROPERTIES LABELS firmware
    TIMEOUT 900)
endif()
