# Install rules: headers, libtlswrap.a and/or libtlswrap.so (as
# TLSW_BUILD_STATIC / TLSW_BUILD_SHARED say), a relocatable CMake package
# (find_package(tlswrap)), a pkg-config file (tlswrap.pc), the docs and the
# man pages.
include(CMakePackageConfigHelpers)

# Consumers see tlswrap::tlswrap (static, the firmware-style default) and
# tlswrap::tlswrap_shared. Set here, not in CMakeLists.txt, because only the
# export needs it. Only the libraries asked for are installed: the internal
# tlswrap_static of a shared-only build is for the tests and tools.
set(_tlsw_install_libs "")
if(TLSW_BUILD_STATIC)
  set_target_properties(tlswrap_static PROPERTIES EXPORT_NAME tlswrap)
  list(APPEND _tlsw_install_libs tlswrap_static)
endif()
if(TLSW_BUILD_SHARED)
  set_target_properties(tlswrap_shared PROPERTIES EXPORT_NAME tlswrap_shared)
  list(APPEND _tlsw_install_libs tlswrap_shared)
endif()

set(TLSW_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tlswrap)

install(DIRECTORY include/tlswrap
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

install(TARGETS ${_tlsw_install_libs}
  EXPORT tlswrapTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT tlswrapTargets
  NAMESPACE tlswrap::
  DESTINATION ${TLSW_CMAKE_DIR})

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/tlswrapConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrapConfig.cmake
  INSTALL_DESTINATION ${TLSW_CMAKE_DIR})
# 0.x: a minor release may change the API and ABI (its SONAME moves, see
# CMakeLists.txt), so only the same minor matches: find_package(tlswrap 0.1)
# takes 0.1.x, never 0.2. From 1.0 on this becomes SameMajorVersion.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_tlsw_compat SameMinorVersion)
else()
  set(_tlsw_compat SameMajorVersion)
endif()
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrapConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY ${_tlsw_compat})
# On the system build the exported targets link WolfSSL::WolfSSL, which
# comes from our own find module: ship it next to the config so
# find_dependency() can use it.
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrapConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrapConfigVersion.cmake
  DESTINATION ${TLSW_CMAKE_DIR})
if(TLSW_WOLFSSL STREQUAL "system")
  install(FILES ${CMAKE_CURRENT_LIST_DIR}/FindWolfSSL.cmake
    DESTINATION ${TLSW_CMAKE_DIR})
endif()

# pkg-config: the prefix is computed from the .pc file's own location, so
# the file stays right after `cmake --install --prefix <elsewhere>` or when
# the tree is moved (a prefix baked in at configure time would not).
set(_tlsw_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TLSW_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(TLSW_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _tlsw_up /tlsw_root/${_tlsw_pc_dir} /tlsw_root)
  string(REGEX REPLACE "/$" "" _tlsw_up "${_tlsw_up}")
  set(TLSW_PC_PREFIX "\${pcfiledir}/${_tlsw_up}")
  set(TLSW_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(TLSW_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(TLSW_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
# What a link needs besides -ltlswrap. Static: the system build's wolfSSL
# and pthreads (the source build carries wolfSSL's objects, which need
# libm). Shared: nothing, libtlswrap.so names its own dependencies.
# With both installed, `-ltlswrap` finds the .so, so those needs are
# private (pkg-config --static); with only the archive installed they are
# what every link needs, so they are public; with only the .so there is no
# static link to describe.
if(TLSW_WOLFSSL STREQUAL "system")
  set(_tlsw_pc_requires "wolfssl")
  set(_tlsw_pc_libs "-lpthread")
else()
  set(_tlsw_pc_requires "")
  set(_tlsw_pc_libs "-lpthread -lm")
endif()
set(TLSW_PC_REQUIRES "")
set(TLSW_PC_REQUIRES_PRIVATE "")
set(TLSW_PC_LIBS "")
set(TLSW_PC_LIBS_PRIVATE "")
if(TLSW_BUILD_STATIC AND TLSW_BUILD_SHARED)
  if(_tlsw_pc_requires)
    set(TLSW_PC_REQUIRES_PRIVATE "Requires.private: ${_tlsw_pc_requires}\n")
  endif()
  set(TLSW_PC_LIBS_PRIVATE "Libs.private: ${_tlsw_pc_libs}\n")
elseif(TLSW_BUILD_STATIC)
  if(_tlsw_pc_requires)
    set(TLSW_PC_REQUIRES "Requires: ${_tlsw_pc_requires}\n")
  endif()
  set(TLSW_PC_LIBS " ${_tlsw_pc_libs}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/tlswrap.pc.in
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrap.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tlswrap.pc DESTINATION ${_tlsw_pc_dir})

# Documentation: the licence, the README, the changelog and docs/*.md in
# share/doc/tlswrap; man pages in share/man (hand-written, man/).
install(FILES LICENSE README.md CHANGELOG.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(GLOB _tlsw_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${_tlsw_docs}
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
foreach(_sec 1 3 5 7)
  file(GLOB _tlsw_man ${PROJECT_SOURCE_DIR}/man/*.${_sec})
  if(_tlsw_man)
    install(FILES ${_tlsw_man}
      DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_sec})
  endif()
endforeach()
