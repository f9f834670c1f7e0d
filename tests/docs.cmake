# Documentation that cannot drift: docs/errors.md against the status table
# and header, and the README's C example, compiled and run.

# Row by row against src/core/status.c (code, category, message, sticky).
tlsw_add_test(test_docs test_docs.c LABELS docs TIMEOUT 30)
target_compile_definitions(test_docs PRIVATE
  TLSW_SOURCE_DIR="${PROJECT_SOURCE_DIR}")

# Every name in the header's enum (catches a status added to status.h but
# not to the table in status.c).
add_test(NAME docs_status_names
  COMMAND ${CMAKE_COMMAND}
    -DHEADER=${PROJECT_SOURCE_DIR}/include/tlswrap/status.h
    -DDOC=${PROJECT_SOURCE_DIR}/docs/errors.md
    -P ${CMAKE_CURRENT_SOURCE_DIR}/docs/check_status_names.cmake)
set_tests_properties(docs_status_names PROPERTIES LABELS docs TIMEOUT 30)

# The README's client: extracted at build time, built with the project's
# warnings (-Werror), then run against openssl s_server.
set(_tlsw_readme_c ${CMAKE_CURRENT_BINARY_DIR}/readme_client.c)
add_custom_command(OUTPUT ${_tlsw_readme_c}
  COMMAND ${CMAKE_COMMAND} -DIN=${PROJECT_SOURCE_DIR}/README.md
    -DOUT=${_tlsw_readme_c} "-DMARKER=<!-- readme_client.c"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/docs/extract_readme.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/README.md
    ${CMAKE_CURRENT_SOURCE_DIR}/docs/extract_readme.cmake
  COMMENT "Extracting the C example from README.md" VERBATIM)
add_executable(readme_client ${_tlsw_readme_c})
target_link_libraries(readme_client PRIVATE tlswrap_static)
tlsw_set_warnings(readme_client)
add_test(NAME readme_client
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/docs/readme_client.sh
    $<TARGET_FILE:readme_client> ${TLSW_TEST_CERTS})
set_tests_properties(readme_client PROPERTIES FIXTURES_REQUIRED certs
  LABELS "docs;interop" TIMEOUT 90)

# docs/api.md: every ```c block, compiled together with the project's
# warnings (the snippets are library-style functions without a main(), so
# only -Wmissing-prototypes is relaxed). Compiled, not linked: one snippet
# uses a made-up device API.
set(_tlsw_api_c ${CMAKE_CURRENT_BINARY_DIR}/api_examples.c)
add_custom_command(OUTPUT ${_tlsw_api_c}
  COMMAND ${CMAKE_COMMAND} -DIN=${PROJECT_SOURCE_DIR}/docs/api.md
    -DOUT=${_tlsw_api_c}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/docs/extract_readme.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/api.md
    ${CMAKE_CURRENT_SOURCE_DIR}/docs/extract_readme.cmake
  COMMENT "Extracting the C examples from docs/api.md" VERBATIM)
add_library(api_examples OBJECT ${_tlsw_api_c})
target_link_libraries(api_examples PRIVATE tlswrap_static)
tlsw_set_warnings(api_examples)
target_compile_options(api_examples PRIVATE -Wno-missing-prototypes)
