# Finds wolfSSL (Debian: libwolfssl-dev). Defines WolfSSL::WolfSSL.
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
if(WolfSSL_FOUND AND NOT TARGET WolfSSL::WolfSSL)
  add_library(WolfSSL::WolfSSL UNKNOWN IMPORTED)
  set_target_properties(WolfSSL::WolfSSL PROPERTIES
    IMPORTED_LOCATION "${WolfSSL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${WolfSSL_INCLUDE_DIR}")
endif()
mark_as_advanced(WolfSSL_INCLUDE_DIR WolfSSL_LIBRARY)
