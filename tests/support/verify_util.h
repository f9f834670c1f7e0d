/* Helpers shared by the verification tests (test_verify_*.c): paths into
 * the generated matrix, contexts made from it, and a handshake driver that
 * keeps going after one side fails, so the other side's view (usually the
 * alert it received) can be asserted too. */
#ifndef TLSW_TEST_SUPPORT_VERIFY_UTIL_H
#define TLSW_TEST_SUPPORT_VERIFY_UTIL_H

#include "pair.h"

/* TLSW_TEST_MATRIX "/" name (rotating static buffers, like fixture()). */
const char *mpath(const char *name);

/* A server context serving <stem>.pem with <stem>.key, trusting root.pem
 * for client certificates, with the given verify mode. max_version 0: the
 * default range. NULL on failure (the reason is printed). */
tlsw_ctx *vserver_ctx(const char *stem, tlsw_verify_mode mode,
                      tlsw_tls_version max_version);

/* A client context trusting root.pem, presenting <client_stem>.pem/.key
 * when client_stem is not NULL. */
tlsw_ctx *vclient_ctx(tlsw_verify_mode mode, const char *client_stem,
                      tlsw_tls_version max_version);

/* Drive both handshakes until each side has finished or failed, or until
 * neither can make progress. *cs / *ss get each side's last status. When
 * one side completes while the other fails (TLS 1.3 client certificates),
 * the completed side then reads once, so it sees the peer's alert. */
void vdrive(test_pair *p, int *cs, int *ss);

/* 1 when s is a blocking status. */
int vblocked(int st);

#endif
