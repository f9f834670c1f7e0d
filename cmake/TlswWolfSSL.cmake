# Which wolfSSL tlswrap is built on, and the WolfSSL::WolfSSL target.
#
#   TLSW_WOLFSSL=source (default)  the pinned wolfSSL source
#       (cmake/wolfssl/source.pin), built at configure time with the profile
#       TLSW_WOLFSSL_PROFILE (cmake/wolfssl/profiles/<name>.profile) and
#       linked into libtlswrap: no libwolfssl.so at run time.
#   TLSW_WOLFSSL=system            an installed wolfSSL (Debian 12's
#       libwolfssl-dev 5.5.4 is supported), found by FindWolfSSL.cmake.
#
# Sets TLSW_WOLFSSL_BUILD ("source/host", "system"), the string that
# tlsw_version_string() and the tools' --version report, and, for the source
# build, TLSW_WOLFSSL_OBJECTS (the object merged into libtlswrap.a) and
# TLSW_WOLFSSL_ARCHIVE (libwolfssl.a, linked into libtlswrap.so).
set(TLSW_WOLFSSL "source" CACHE STRING
  "wolfSSL to build on: source (pinned source, built here) or system")
set_property(CACHE TLSW_WOLFSSL PROPERTY STRINGS source system)

if(TLSW_WOLFSSL STREQUAL "system")
  find_package(WolfSSL REQUIRED)
  set(TLSW_WOLFSSL_BUILD "system")
  return()
elseif(NOT TLSW_WOLFSSL STREQUAL "source")
  message(FATAL_ERROR "TLSW_WOLFSSL is '${TLSW_WOLFSSL}': use source or system")
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(_tlsw_arch x86_64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  set(_tlsw_arch aarch64)
else()
  set(_tlsw_arch ${CMAKE_SYSTEM_PROCESSOR})
endif()
set(TLSW_WOLFSSL_PROFILE "host" CACHE STRING
  "wolfSSL build profile: a file cmake/wolfssl/profiles/<name>.profile")
set(TLSW_WOLFSSL_SOURCE_DIR "" CACHE PATH
  "Your own wolfSSL tree (e.g. an upstream git checkout) instead of the pinned source; it is copied, never written to")
set(TLSW_WOLFSSL_CACHE_DIR "${CMAKE_BINARY_DIR}/_wolfssl" CACHE PATH
  "Where the pinned wolfSSL source is downloaded and each wolfSSL build is kept (reused offline, and by every build tree that names the same directory)")

# A profile is either <name>.profile (./configure options, build.sh) or a
# directory <name>/ with a user_settings.h (compiled without configure by
# build-user.sh: the firmware way, and the only one for a cross compiler
# with no OS).
set(_tlsw_profile_file
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/profiles/${TLSW_WOLFSSL_PROFILE}.profile)
set(_tlsw_user_dir
  ${CMAKE_CURRENT_LIST_DIR}/wolfssl/profiles/${TLSW_WOLFSSL_PROFILE})
set(_tlsw_user_settings OFF)
if(EXISTS ${_tlsw_user_dir}/user_settings.h)
  set(_tlsw_user_settings ON)
  set(_tlsw_profile_file ${_tlsw_user_dir}/user_settings.h)
  set(_tlsw_build_script ${CMAKE_CURRENT_LIST_DIR}/wolfssl/build-user.sh)
else()
  set(_tlsw_build_script ${CMAKE_CURRENT_LIST_DIR}/wolfssl/build.sh)
endif()
if(NOT EXISTS ${_tlsw_profile_file})
  file(GLOB _p RELATIVE ${CMAKE_CURRENT_LIST_DIR}/wolfssl/profiles
       ${CMAKE_CURRENT_LIST_DIR}/wolfssl/profiles/*.profile)
  string(REPLACE ".profile" "" _p "${_p}")
  message(FATAL_ERROR "TLSW_WOLFSSL_PROFILE '${TLSW_WOLFSSL_PROFILE}': no "
    "file ${_tlsw_profile_file}; profiles: ${_p}")
endif()

# The source tree: the user's, or the pinned one from the cache.
if(TLSW_WOLFSSL_SOURCE_DIR)
  if(NOT EXISTS ${TLSW_WOLFSSL_SOURCE_DIR}/configure.ac)
    message(FATAL_ERROR "TLSW_WOLFSSL_SOURCE_DIR=${TLSW_WOLFSSL_SOURCE_DIR} "
      "is not a wolfSSL source tree (no configure.ac)")
  endif()
  set(_tlsw_wsrc ${TLSW_WOLFSSL_SOURCE_DIR})
  set(_tlsw_wsrc_id "dir:${TLSW_WOLFSSL_SOURCE_DIR}")
  find_package(Git QUIET)
  if(GIT_FOUND AND EXISTS ${TLSW_WOLFSSL_SOURCE_DIR}/.git)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${TLSW_WOLFSSL_SOURCE_DIR}
      describe --always --dirty OUTPUT_VARIABLE _g
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    string(APPEND _tlsw_wsrc_id " ${_g}")
  endif()
else()
  file(MAKE_DIRECTORY ${TLSW_WOLFSSL_CACHE_DIR})
  file(LOCK ${TLSW_WOLFSSL_CACHE_DIR}/fetch.lock GUARD FILE TIMEOUT 900)
  execute_process(
    COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/wolfssl-fetch.sh
            ${TLSW_WOLFSSL_CACHE_DIR}
    OUTPUT_VARIABLE _out RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  file(LOCK ${TLSW_WOLFSSL_CACHE_DIR}/fetch.lock RELEASE)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "cannot get the pinned wolfSSL source (see above). "
      "Or configure with -DTLSW_WOLFSSL=system to use an installed wolfSSL, "
      "or -DTLSW_WOLFSSL_SOURCE_DIR=<your wolfSSL tree>.")
  endif()
  string(REGEX REPLACE ".*\n" "" _tlsw_wsrc "${_out}")
  file(STRINGS ${PROJECT_SOURCE_DIR}/cmake/wolfssl/source.pin _pin
       REGEX "^WOLFSSL_DEB_VERSION=")
  set(_tlsw_wsrc_id "pin:${_pin}")
endif()

# Built once per build tree and reused while nothing that shapes it
# changes: the source, the profile, the build script, the compiler and the
# flags that reach wolfSSL (the sanitizers, so ASan sees wolfSSL's bugs).
set(_tlsw_wflags "-O2 -g")
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  set(_tlsw_wflags "-O1 -g")
endif()
if(_tlsw_user_settings)
  # The target's flags (the toolchain file's -mcpu etc.) and size-first
  # code whose unused functions --gc-sections can drop.
  set(_tlsw_wflags "${CMAKE_C_FLAGS} -Os -ffunction-sections -fdata-sections")
  string(STRIP "${_tlsw_wflags}" _tlsw_wflags)
elseif(TLSW_FUZZ)
  # The fuzz targets (cmake/TlswFuzz.cmake) see inside wolfSSL too: its
  # memory errors abort and its branches guide the fuzzer.
  string(APPEND _tlsw_wflags " ${TLSW_FUZZ_WOLFSSL_FLAGS}")
elseif(TLSW_SANITIZE)
  string(APPEND _tlsw_wflags " -fsanitize=address,undefined"
    " -fno-sanitize-recover=all -fno-omit-frame-pointer")
endif()
file(SHA256 ${_tlsw_profile_file} _h_profile)
if(_tlsw_user_settings)
  # A user_settings.h may include another profile's (build-user.sh).
  file(GLOB _all ${CMAKE_CURRENT_LIST_DIR}/wolfssl/profiles/*/user_settings.h)
  list(SORT _all)
  foreach(_f ${_all})
    file(SHA256 ${_f} _h)
    string(APPEND _h_profile "|${_h}")
  endforeach()
endif()
file(SHA256 ${_tlsw_build_script} _h_script)
string(SHA256 _tlsw_stamp "${_tlsw_wsrc_id}|${_h_profile}|${_h_script}|${CMAKE_C_COMPILER}|${_tlsw_wflags}|${_tlsw_arch}")
# One directory per distinct build, named by its stamp, so build trees that
# share TLSW_WOLFSSL_CACHE_DIR (the presets do) build each variant once; a
# lock keeps two configures from building the same one at the same time.
string(SUBSTRING ${_tlsw_stamp} 0 12 _short)
set(_tlsw_wdir ${TLSW_WOLFSSL_CACHE_DIR}/${TLSW_WOLFSSL_PROFILE}-${_short})
set(_tlsw_wprefix ${_tlsw_wdir}/install)
set(_tlsw_stampfile ${_tlsw_wprefix}/tlsw-stamp)
file(MAKE_DIRECTORY ${_tlsw_wdir})
file(LOCK ${_tlsw_wdir}.lock GUARD FILE TIMEOUT 900 RESULT_VARIABLE _lock)
if(NOT _lock STREQUAL "0")
  message(FATAL_ERROR "cannot lock ${_tlsw_wdir}.lock: ${_lock}")
endif()
set(_old "")
if(EXISTS ${_tlsw_stampfile})
  file(READ ${_tlsw_stampfile} _old)
endif()
if(NOT _old STREQUAL _tlsw_stamp)
  message(STATUS "Building wolfSSL (${TLSW_WOLFSSL_PROFILE} profile, "
    "${_tlsw_arch}) from ${_tlsw_wsrc} in ${_tlsw_wdir}: about 1-2 minutes, "
    "once")
  if(_tlsw_user_settings)
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} AR=${CMAKE_AR}
              CFLAGS=${_tlsw_wflags}
              sh ${_tlsw_build_script} ${_tlsw_wsrc} ${_tlsw_wdir}/work
              ${_tlsw_wprefix} ${_tlsw_user_dir}
      RESULT_VARIABLE _rc)
  else()
    execute_process(
      COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} CFLAGS=${_tlsw_wflags}
              sh ${_tlsw_build_script} ${_tlsw_wsrc}
              ${_tlsw_wdir}/work ${_tlsw_wprefix} ${_tlsw_profile_file} ${_tlsw_arch}
      RESULT_VARIABLE _rc)
  endif()
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "building wolfSSL failed (see above)")
  endif()
  # The build tree is only needed again when the stamp changes.
  file(REMOVE_RECURSE ${_tlsw_wdir}/work/src ${_tlsw_wdir}/work/obj)
  file(WRITE ${_tlsw_stampfile} "${_tlsw_stamp}")
endif()

set(TLSW_WOLFSSL_ARCHIVE ${_tlsw_wprefix}/lib/libwolfssl.a)
set(TLSW_WOLFSSL_INCLUDE_DIR ${_tlsw_wprefix}/include)
if(_tlsw_user_settings)
  if(NOT EXISTS ${TLSW_WOLFSSL_INCLUDE_DIR}/user_settings.h)
    message(FATAL_ERROR "the wolfSSL build installed no user_settings.h in "
      "${TLSW_WOLFSSL_INCLUDE_DIR}")
  endif()
elseif(NOT EXISTS ${TLSW_WOLFSSL_INCLUDE_DIR}/wolfssl/options.h)
  message(FATAL_ERROR "the wolfSSL build installed no wolfssl/options.h in "
    "${TLSW_WOLFSSL_INCLUDE_DIR}: tlswrap would compile against another "
    "wolfSSL's settings")
endif()
file(STRINGS ${TLSW_WOLFSSL_INCLUDE_DIR}/wolfssl/version.h _v
     REGEX "#define LIBWOLFSSL_VERSION_STRING")
string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" WolfSSL_VERSION "${_v}")
set(TLSW_WOLFSSL_BUILD "source/${TLSW_WOLFSSL_PROFILE}")
message(STATUS "wolfSSL ${WolfSSL_VERSION}, ${TLSW_WOLFSSL_BUILD}: ${TLSW_WOLFSSL_ARCHIVE}")

# wolfSSL goes into libtlswrap.a as one prelinked object exporting only
# wolfSSL's API names (cmake/wolfssl/prelink.sh says why), so a static
# consumer needs no wolfSSL of its own, cannot pick up a different one by
# accident, and cannot collide with wolfSSL's internal names.
set(_obj ${_tlsw_wdir}/wolfssl-prelinked.o)
if(NOT EXISTS ${_obj} OR ${TLSW_WOLFSSL_ARCHIVE} IS_NEWER_THAN ${_obj}
   OR ${CMAKE_CURRENT_LIST_DIR}/wolfssl/prelink.sh IS_NEWER_THAN ${_obj})
  execute_process(COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/wolfssl/prelink.sh
      ${TLSW_WOLFSSL_ARCHIVE} ${_obj} ${CMAKE_AR} ${CMAKE_LINKER}
      ${CMAKE_OBJCOPY} ${CMAKE_NM}
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "cannot prelink ${TLSW_WOLFSSL_ARCHIVE} (see above)")
  endif()
endif()
set(TLSW_WOLFSSL_OBJECTS ${_obj})
file(LOCK ${_tlsw_wdir}.lock RELEASE)

add_library(WolfSSL::WolfSSL STATIC IMPORTED)
set_target_properties(WolfSSL::WolfSSL PROPERTIES
  IMPORTED_LOCATION ${TLSW_WOLFSSL_ARCHIVE}
  INTERFACE_INCLUDE_DIRECTORIES ${TLSW_WOLFSSL_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES "m")
if(_tlsw_user_settings)
  # Every includer of wolfSSL's headers must see the same settings.
  set_target_properties(WolfSSL::WolfSSL PROPERTIES
    INTERFACE_COMPILE_DEFINITIONS WOLFSSL_USER_SETTINGS)
endif()
