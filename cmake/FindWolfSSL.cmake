# Finds an installed wolfSSL (Debian: libwolfssl-dev). Defines
# WolfSSL::WolfSSL and WolfSSL_VERSION.
#
# Fails loudly, rather than building something that misbehaves, when the
# headers found come without wolfssl/options.h (a wolfSSL installed with
# --enable-distro, for one, does not install it, and a build then silently
# picks up another wolfSSL's options.h from the system include path) or when
# the headers belong to another wolfSSL than the library found.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PC_WOLFSSL QUIET wolfssl)
endif()
find_path(WolfSSL_INCLUDE_DIR wolfssl/ssl.h HINTS ${PC_WOLFSSL_INCLUDE_DIRS})
find_library(WolfSSL_LIBRARY NAMES wolfssl HINTS ${PC_WOLFSSL_LIBRARY_DIRS})
if(WolfSSL_INCLUDE_DIR AND EXISTS "${WolfSSL_INCLUDE_DIR}/wolfssl/version.h")
  file(STRINGS "${WolfSSL_INCLUDE_DIR}/wolfssl/version.h" _v
       REGEX "#define LIBWOLFSSL_VERSION_STRING")
  string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" WolfSSL_VERSION "${_v}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(WolfSSL
  REQUIRED_VARS WolfSSL_LIBRARY WolfSSL_INCLUDE_DIR
  VERSION_VAR WolfSSL_VERSION)

if(WolfSSL_FOUND AND NOT EXISTS "${WolfSSL_INCLUDE_DIR}/wolfssl/options.h")
  message(FATAL_ERROR "wolfSSL headers in ${WolfSSL_INCLUDE_DIR} have no "
    "wolfssl/options.h, the file that records how that wolfSSL was built; "
    "compiling without it would use another wolfSSL's settings. Install "
    "options.h from that build's tree (wolfssl/options.h), or use "
    "-DTLSW_WOLFSSL=source.")
endif()

# The library's own version (wolfSSL_lib_version()) must be the headers'.
# Not when cross-compiling: the test program cannot run here.
if(WolfSSL_FOUND AND NOT CMAKE_CROSSCOMPILING AND NOT WolfSSL_RUNTIME_VERSION)
  set(_src ${CMAKE_BINARY_DIR}/CMakeFiles/tlsw_wolfssl_version.c)
  file(WRITE ${_src} "#include <wolfssl/options.h>\n#include <wolfssl/ssl.h>\n"
    "#include <stdio.h>\nint main(void) {\n"
    "  printf(\"%s\", wolfSSL_lib_version());\n  return 0;\n}\n")
  try_run(_run_rc _compile_ok ${CMAKE_BINARY_DIR}/CMakeFiles/tlsw_wolfssl_version
    ${_src}
    CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${WolfSSL_INCLUDE_DIR}"
    LINK_LIBRARIES ${WolfSSL_LIBRARY}
    COMPILE_OUTPUT_VARIABLE _compile_out
    RUN_OUTPUT_VARIABLE _run_out)
  if(NOT _compile_ok OR NOT _run_rc EQUAL 0)
    message(FATAL_ERROR "cannot build and run a program against wolfSSL "
      "(${WolfSSL_LIBRARY}, headers ${WolfSSL_INCLUDE_DIR}):\n${_compile_out}")
  endif()
  if(NOT _run_out STREQUAL WolfSSL_VERSION)
    message(FATAL_ERROR "the wolfSSL library ${WolfSSL_LIBRARY} is version "
      "${_run_out}, but its headers in ${WolfSSL_INCLUDE_DIR} say "
      "${WolfSSL_VERSION}: they come from different wolfSSL installations")
  endif()
  set(WolfSSL_RUNTIME_VERSION ${_run_out} CACHE INTERNAL
    "wolfSSL_lib_version() of WolfSSL_LIBRARY, checked once")
endif()

if(WolfSSL_FOUND AND NOT TARGET WolfSSL::WolfSSL)
  add_library(WolfSSL::WolfSSL UNKNOWN IMPORTED)
  set_target_properties(WolfSSL::WolfSSL PROPERTIES
    IMPORTED_LOCATION "${WolfSSL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${WolfSSL_INCLUDE_DIR}")
endif()
mark_as_advanced(WolfSSL_INCLUDE_DIR WolfSSL_LIBRARY)
