# Packaging tests (label packaging):
#   install_static_only, install_shared_only  the library built alone with
#       -DBUILD_SHARED_LIBS=OFF / ON, installed, its files checked and a
#       consumer built against it (tests/consumer/variant.cmake); the default
#       configuration (both libraries) is tests/install.cmake's.
#   abi_check (label abi)  scripts/abi-check.sh on this build's
#       libtlswrap.so against abi/libtlswrap.abi; the baseline is made from
#       the reference build (source wolfSSL, gcc, debug info, no
#       sanitizers), so only a build made that way runs it.
#   abi_check_selftest (label abi)  the script's decisions on a small
#       library of its own (abi/selftest): a compatible change passes, an
#       incompatible one fails, --update refuses it without a new SONAME.
#   man_pages (label man)  every page under man/ renders without a groff
#       warning, and every option of each tool's --help has an entry in
#       its page (man/check.sh).
set(_tlsw_pkg_flags "")
if(TLSW_SANITIZE)
  set(_tlsw_pkg_flags "-fsanitize=address,undefined")
endif()
foreach(_v static_only shared_only)
  if(_v STREQUAL "static_only")
    set(_shared OFF)
  else()
    set(_shared ON)
  endif()
  add_test(NAME install_${_v}
    COMMAND ${CMAKE_COMMAND}
      -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/packaging-${_v}
      -DSHARED_LIBS=${_shared}
      -DCC=${CMAKE_C_COMPILER}
      -DCONFIG=$<CONFIG>
      -DEXTRA_FLAGS=${_tlsw_pkg_flags}
      -DSANITIZE=${TLSW_SANITIZE}
      -DWOLFSSL=${TLSW_WOLFSSL}
      -DWOLFSSL_CACHE_DIR=${TLSW_WOLFSSL_CACHE_DIR}
      -DWOLFSSL_PROFILE=${TLSW_WOLFSSL_PROFILE}
      -DWOLFSSL_SOURCE_DIR=${TLSW_WOLFSSL_SOURCE_DIR}
      -DVERSION=${PROJECT_VERSION}
      -DSOVERSION=${TLSW_SOVERSION}
      -DLIBDIR=${CMAKE_INSTALL_LIBDIR}
      -DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}
      -DBINDIR=${CMAKE_INSTALL_BINDIR}
      -DDOCDIR=${CMAKE_INSTALL_DOCDIR}
      -DMANDIR=${CMAKE_INSTALL_MANDIR}
      -P ${CMAKE_CURRENT_SOURCE_DIR}/consumer/variant.cmake)
  set_tests_properties(install_${_v} PROPERTIES LABELS "install;packaging"
    TIMEOUT 600)
endforeach()

# The ABI gate runs on the reference build only: the baseline is abidw's
# reading of gcc's debug information of a RelWithDebInfo, unsanitized
# source build; another compiler or flags describe the same ABI with other
# DWARF, and a check that differs by build would not be a gate.
if(TLSW_BUILD_SHARED AND TLSW_WOLFSSL STREQUAL "source"
   AND CMAKE_C_COMPILER_ID STREQUAL "GNU" AND NOT TLSW_SANITIZE
   AND CMAKE_BUILD_TYPE STREQUAL "RelWithDebInfo")
  add_test(NAME abi_check
    COMMAND sh ${PROJECT_SOURCE_DIR}/scripts/abi-check.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(abi_check PROPERTIES LABELS abi TIMEOUT 120
    SKIP_RETURN_CODE 77)
else()
  message(STATUS "tlswrap: no abi_check test: the ABI baseline is checked on "
    "the reference build (shared library, source wolfSSL, gcc, RelWithDebInfo, "
    "no sanitizers)")
endif()
add_test(NAME abi_check_selftest
  COMMAND sh ${PROJECT_SOURCE_DIR}/abi/selftest/run.sh ${CMAKE_C_COMPILER}
    ${CMAKE_CURRENT_BINARY_DIR}/abi-selftest)
set_tests_properties(abi_check_selftest PROPERTIES LABELS abi TIMEOUT 120)

# The tools' options are checked against their pages only when the tools
# are built; the pages are rendered either way.
set(_tlsw_man_tools "")
if(TARGET tlsw-client AND TARGET tlsw-server)
  set(_tlsw_man_tools $<TARGET_FILE:tlsw-client> $<TARGET_FILE:tlsw-server>)
endif()
add_test(NAME man_pages
  COMMAND sh ${PROJECT_SOURCE_DIR}/man/check.sh ${PROJECT_SOURCE_DIR}/man
    ${_tlsw_man_tools})
set_tests_properties(man_pages PROPERTIES LABELS man TIMEOUT 60)

# library_symbols: libtlswrap.a defines only public tlsw_ names, internal
# tlswi_ ones and (source build) wolfSSL's API (tests/packaging/symbols.cmake).
if(TARGET tlswrap_static)
  add_test(NAME library_symbols
    COMMAND ${CMAKE_COMMAND} -DNM=${CMAKE_NM}
      -DARCHIVE=$<TARGET_FILE:tlswrap_static>
      -DHEADERS_DIR=${PROJECT_SOURCE_DIR}/include/tlswrap
      -DWOLFSSL=${TLSW_WOLFSSL}
      -P ${CMAKE_CURRENT_SOURCE_DIR}/packaging/symbols.cmake)
  set_tests_properties(library_symbols PROPERTIES LABELS packaging
    TIMEOUT 60)
endif()
