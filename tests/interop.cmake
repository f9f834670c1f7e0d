# Interop with real peers on 127.0.0.1 (openssl and gnutls tools, which
# scripts/setup.sh installs).
tlsw_add_test(test_interop test_interop.c LABELS interop TIMEOUT 180)
