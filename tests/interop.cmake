# Interop with real peers on 127.0.0.1 (openssl and gnutls tools, which
# scripts/setup.sh installs).
tlsw_add_test(test_interop test_interop.c interop/child.c interop/net.c
  LABELS interop TIMEOUT 180)
target_include_directories(test_interop PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
