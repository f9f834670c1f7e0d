/* Test support: the usual contexts on the test PKI (fixture()), created or
 * the test fails (cmocka assertions, so call them from a test, not from a
 * thread). The caller frees each with tlsw_ctx_free. */
#ifndef TLSW_TEST_CTXS_H
#define TLSW_TEST_CTXS_H

#include "tlswrap/tlswrap.h"

/* A fresh context of protocol p, default settings. */
tlsw_ctx *new_ctx(tlsw_protocol p);

/* A TLS client trusting ca.pem (CERT_REQUIRED, the default). */
tlsw_ctx *client_ctx(void);

/* A TLS server serving server-<kind>.pem/.key; kind: "ec" or "rsa". */
tlsw_ctx *server_ctx(const char *kind);

/* The DTLS client and server counterparts (the server serves server-ec). */
tlsw_ctx *dtls_client_ctx(void);
tlsw_ctx *dtls_server_ctx(void);
/* The same, offering DTLS 1.2 and 1.3 (the build must have
 * TLSW_FEATURE_DTLS13). */
tlsw_ctx *dtls13_client_ctx(void);
tlsw_ctx *dtls13_server_ctx(void);

/* Pin both ends of c's version range to v. */
void set_version(tlsw_ctx *c, tlsw_tls_version v);

#endif
