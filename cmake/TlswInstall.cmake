# Install rules: headers, libtlswrap.a and libtlswrap.so, a relocatable CMake
# package (find_package(tlswrap)) and a pkg-config file (tlswrap.pc).
include(CMakePackageConfigHelpers)

# Consumers see tlswrap::tlswrap (static, the firmware-style default) and
# tlswrap::tlswrap_shared. Set here, not in CMakeLists.txt, because only the
# export needs it.
set_target_properties(tlswrap_static PROPERTIES EXPORT_NAME tlswrap)
set_target_properties(tlswrap_shared PROPERTIES EXPORT_NAME tlswrap_shared)

set(TLSW_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tlswrap)

install(DIRECTORY include/tlswrap
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")

install(TARGETS tlswrap_static tlswrap_shared
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
# 0.x: a minor release may change the API, so only the same minor matches.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrapConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
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
# A static link of libtlswrap.a needs the installed wolfSSL on the system
# build; the source build carries wolfSSL's objects (which need libm).
if(TLSW_WOLFSSL STREQUAL "system")
  set(TLSW_PC_REQUIRES_PRIVATE "Requires.private: wolfssl\n")
  set(TLSW_PC_LIBS_PRIVATE "-lpthread")
else()
  set(TLSW_PC_REQUIRES_PRIVATE "")
  set(TLSW_PC_LIBS_PRIVATE "-lpthread -lm")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/tlswrap.pc.in
  ${CMAKE_CURRENT_BINARY_DIR}/tlswrap.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/tlswrap.pc DESTINATION ${_tlsw_pc_dir})
