# The libFuzzer targets (TLSW_FUZZ=ON, cmake/TlswFuzz.cmake includes this
# file at the end of the top-level CMakeLists.txt): one executable
# fuzz_<name> per fuzz_<name>.c, in the build tree's top directory, and fuzz_record, which records
# the session targets' seed corpora (record-seeds.sh). README.md says how
# to run them.
set(_fz ${CMAKE_CURRENT_LIST_DIR})
add_library(tlsw_fuzz_common STATIC ${_fz}/fuzz_common.c)
target_include_directories(tlsw_fuzz_common PUBLIC ${_fz})
# wolfSSL's headers, for its seed callback: system headers, so their
# warnings are not ours.
target_include_directories(tlsw_fuzz_common SYSTEM PUBLIC
  $<TARGET_PROPERTY:WolfSSL::WolfSSL,INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(tlsw_fuzz_common PUBLIC tlswrap_static)
tlsw_set_warnings(tlsw_fuzz_common)

set(TLSW_FUZZ_TARGETS tls_server tls_client dtls_server dtls_client load lists
  hostname ocsp cli_http cli_x509)
foreach(name ${TLSW_FUZZ_TARGETS})
  add_executable(fuzz_${name} ${_fz}/fuzz_${name}.c)
  target_link_libraries(fuzz_${name} PRIVATE tlsw_fuzz_common)
  target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
  tlsw_set_warnings(fuzz_${name})
endforeach()
# The host-name matcher and the DER readers are internal to the library
# (src/core/hostname.c, der.c: core/policy.h, core/der.h).
target_include_directories(fuzz_hostname PRIVATE ${PROJECT_SOURCE_DIR}/src)
# So is the reading of a stapled OCSP response (src/core/ocsp.c).
target_include_directories(fuzz_ocsp PRIVATE ${PROJECT_SOURCE_DIR}/src)
# The tools' parsers, compiled in (their functions, unchanged).
target_sources(fuzz_cli_http PRIVATE ${PROJECT_SOURCE_DIR}/examples/common/http.c)
target_sources(fuzz_cli_x509 PRIVATE
  ${PROJECT_SOURCE_DIR}/examples/common/x509_info.c)
foreach(t fuzz_cli_http fuzz_cli_x509)
  target_include_directories(${t} PRIVATE ${PROJECT_SOURCE_DIR}/examples/common)
  target_compile_definitions(${t} PRIVATE _POSIX_C_SOURCE=200809L)
endforeach()

add_executable(fuzz_record ${_fz}/fuzz_record.c)
target_link_libraries(fuzz_record PRIVATE tlsw_fuzz_common)
tlsw_set_warnings(fuzz_record)
