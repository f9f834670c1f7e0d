/* The message trace's transport shim (core/trace.c). */
#ifndef TLSW_CORE_TRACE_H
#define TLSW_CORE_TRACE_H

#include "tlswrap/io.h"
#include "tlswrap/msg.h"

typedef struct tlswi_trace tlswi_trace;

/* A shim over next that reports every record to cb; NULL when out of
 * memory. datagram: next carries DTLS datagrams. */
tlswi_trace *tlswi_trace_new(const tlsw_io *next, int datagram, tlsw_msg_fn cb,
                             void *user);
/* The transport the backend is to use instead of next. */
const tlsw_io *tlswi_trace_io(const tlswi_trace *t);
void tlswi_trace_free(tlswi_trace *t);

#endif
