# Per-session memory (issue #2): tlswrap's own state per session, measured
# with a counting allocator (its own program: the allocator is set before
# anything initialises tlswrap). Uses the non-CA chain of the matrix
# fixture (verify.cmake).
tlsw_add_test(test_session_size test_session_size.c LABELS core)
# tlswrap's own allocations are told from wolfSSL's by wrapping the core's
# allocator functions (see the test's header comment).
target_link_options(test_session_size PRIVATE
  LINKER:--wrap=tlswi_malloc,--wrap=tlswi_calloc,--wrap=tlswi_realloc)
set_tests_properties(test_session_size PROPERTIES
  FIXTURES_REQUIRED "certs;matrix")
