/* A context's reference count, the one piece of the core that a
 * transport outside it needs: the DTLS server (src/io/dtls_server.c) keeps
 * its context alive while it holds it. Everything else of the context it
 * reads through the public accessors (tlswrap/context.h). */
#ifndef TLSW_CORE_REF_H
#define TLSW_CORE_REF_H

#include "tlswrap/context.h"

void tlswi_ctx_ref(tlsw_ctx *ctx);
void tlswi_ctx_unref(tlsw_ctx *ctx);

#endif
