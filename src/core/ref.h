/* A context's reference count and its clock, the pieces of the core that
 * a transport outside it needs: the DTLS server (src/io/dtls_server.c)
 * keeps its context alive while it holds it, and times its peers'
 * handshakes on the clock their retransmission timers use. Everything else
 * of the context it reads through the public accessors
 * (tlswrap/context.h). */
#ifndef TLSW_CORE_REF_H
#define TLSW_CORE_REF_H

#include <stdint.h>

#include "tlswrap/context.h"
#include "tlswrap/session.h"

void tlswi_ctx_ref(tlsw_ctx *ctx);
void tlswi_ctx_unref(tlsw_ctx *ctx);
/* The context's clock in ms (tlsw_ctx_set_clock(), else monotonic). */
uint64_t tlswi_ctx_now_ms(const tlsw_ctx *ctx);
/* Records of application data a DTLS session has read (tlsw_read
 * returned TLSW_OK), modulo 2^16, only to be compared for change: each
 * proves that the datagram it came in was authentic. The helper moves a
 * peer to a new address only after one from there (connection IDs). */
unsigned tlswi_sess_dtls_reads(const tlsw_session *s);

#endif
