# Per-session memory (issue #2): tlswrap's own state per session, measured
# with a counting allocator (its own program: the allocator is set before
# anything initialises tlswrap). Uses the non-CA chain of the matrix
# fixture (verify.cmake, included after this file, hence the path here).
tlsw_add_test(test_session_size test_session_size.c test_verify_util.c
  LABELS core)
target_compile_definitions(test_session_size PRIVATE
  TLSW_TEST_MATRIX="${CMAKE_CURRENT_BINARY_DIR}/matrix")
target_link_libraries(test_session_size PRIVATE ${CMAKE_DL_LIBS})
set_tests_properties(test_session_size PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")
