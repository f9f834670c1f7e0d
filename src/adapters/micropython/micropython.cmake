# MicroPython user C module (CMake ports, e.g. rp2, esp32): `tls` on tlswrap.
# Pass -DUSER_C_MODULES=<tlswrap>/src/adapters/micropython/micropython.cmake
# and point TLSWRAP_LIB at a libtlswrap.a built for the target (see
# README.md). MicroPython's own TLS must be off (MICROPY_SSL_MBEDTLS=0).

add_library(usermod_tlswrap INTERFACE)

set(TLSWRAP_ROOT "${CMAKE_CURRENT_LIST_DIR}/../../.." CACHE PATH
    "tlswrap source tree (for its include directory)")
set(TLSWRAP_LIB "${TLSWRAP_ROOT}/build/libtlswrap.a" CACHE FILEPATH
    "libtlswrap.a built for the target")
# The default (source) build of libtlswrap.a carries wolfSSL; a
# TLSW_WOLFSSL=system build needs "wolfssl" here.
set(TLSWRAP_BACKEND_LIBS "m" CACHE STRING
    "libraries libtlswrap.a needs besides itself")

target_sources(usermod_tlswrap INTERFACE
    ${CMAKE_CURRENT_LIST_DIR}/modtls_tlswrap.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsmp_context.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsmp_socket.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsmp_transport.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsmp_errors.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsmp_extra.c
    ${CMAKE_CURRENT_LIST_DIR}/tlsw_mp_map.c
)
target_include_directories(usermod_tlswrap INTERFACE
    ${TLSWRAP_ROOT}/include
    ${CMAKE_CURRENT_LIST_DIR}
)
target_link_libraries(usermod_tlswrap INTERFACE
    ${TLSWRAP_LIB} ${TLSWRAP_BACKEND_LIBS})

target_link_libraries(usermod INTERFACE usermod_tlswrap)
