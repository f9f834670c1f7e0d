/* Core-private structures: of the library, only src/core reads these
 * fields (the backend sees backend/backend.h, the transports core/ref.h;
 * scripts/check-layers.py checks it). White-box tests include this header
 * too (tests/test_session.c, test_session_size.c: sizes; test_status.c,
 * test_docs.c: tlswi_status_is_fatal). */
#ifndef TLSW_CORE_INTERNAL_H
#define TLSW_CORE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "core/ref.h"
#include "support/message.h"
#include "tlswrap/context.h"
#include "tlswrap/msg.h"
#include "tlswrap/session.h"

struct tlsw_ctx {
  const tlsw_backend *be;
  long refs; /* the caller's reference + one per session */
  tlsw_config cfg;
  tlsw_err err;
  void *bctx; /* be->ctx_size bytes, allocated with the context */
  struct tlsw_cookie_keys *cookie; /* DTLS server only (core/cookie.h) */
  uint64_t (*clock)(void *user);   /* NULL: CLOCK_MONOTONIC */
  void *clock_user;
  tlsw_msg_fn msg_cb; /* tlsw_ctx_set_msg_callback(), or NULL */
  void *msg_user;
  /* Server SNI (core/sni.c): names added with their chains' contexts
   * (each holding a reference), and the callback for the rest. */
  struct tlswi_sni *sni;
  size_t n_sni;
  tlsw_sni_fn sni_cb;
  void *sni_user;
};

/* Where a session is; session.c tables the legal moves. The backend state
 * exists (is "live") exactly in HANDSHAKING .. SHUT. */
typedef enum tlsw_sess_state {
  TLSW_SESS_WRAPPING = 0, /* tlsw_wrap() has not made the backend state */
  TLSW_SESS_READY,        /* backend state made, the handshake not begun */
  TLSW_SESS_HANDSHAKING,  /* the first handshake step was taken */
  TLSW_SESS_OPEN,         /* handshake done */
  TLSW_SESS_PEER_CLOSED,  /* the peer's close_notify arrived */
  TLSW_SESS_SHUT,         /* our close_notify sent (or closed unopened) */
  TLSW_SESS_DEAD          /* a fatal status (sticky); backend state freed */
} tlsw_sess_state;

struct tlsw_session {
  /* What every read and write looks at first, together at the start (one
   * cache line with the start of err on 64-bit hosts: the alloc mark). */
  tlsw_ctx *ctx;
  void *bsess;
  tlsw_io io;
  int sticky;          /* TLSW_SESS_DEAD: the status every call returns */
  unsigned want;       /* TLSW_DIR_READ/_WRITE after the last blocked call */
  unsigned char state; /* tlsw_sess_state: the moves are tabled in session.c */
  /* History, not state: the handshake completed once (bit 0; the
   * queries, version, cipher, peer certificate, report it through SHUT
   * and a later failure), and resumed a session (TLSWI_EST_RESUMED). */
  unsigned char established;
  /* Here, not with the other DTLS fields: it fills padding, which keeps
   * every session 16 bytes smaller (issue #2: tests/test_session_size.c). */
  unsigned char dtls_timer_armed;
  /* Inside a backend call (so inside one of the session's callbacks):
   * a call on the session from there is refused (session.c enter()). */
  unsigned char in_call;
  /* DTLS: datagrams sent, and records of application data read
   * (tlswi_sess_dtls_reads), both only compared for change, 16 bits each:
   * here, in the hole before err, like the flags above (the 600-byte
   * budget, tests/test_session_size.c). */
  uint16_t dtls_sent;
  uint16_t dtls_reads;
  tlsw_err err;
  tlsw_verify_rec verify; /* filled by the backend (core/verify.c) */
  /* One allocation or none, told apart by established (a handshake
   * either completes or fails), which keeps the session in its 600-byte
   * budget (tests/test_session_size.c):
   * - kept_cert (!established): the peer's certificate, copied when a
   *   handshake fails after it was examined (a failed verification), since
   *   the backend state that holds it is freed then:
   *   tlsw_session_peer_cert() can still show a person what was refused;
   * - alpn (established): the ALPN protocol agreed on (core/alpn.c),
   *   NUL-terminated, allocated when the handshake completes.
   * NULL: neither. */
  union {
    void *any; /* for tlswi_free */
    struct tlsw_kept_cert *kept_cert;
    char *alpn;
  } held;
  /* The caller's pointer (tlsw_session_set_user), never touched. */
  void *user;
  /* The message trace's shim (core/trace.c), only when the context had a
   * msg callback at wrap time; NULL otherwise. */
  struct tlswi_trace *trace;
  /* DTLS: the backend talks through dtls_io, which counts datagrams sent,
   * so the retransmission deadline restarts with every new flight. */
  tlsw_io dtls_io;
  uint64_t dtls_deadline_ms;
};

/* The backend state exists (session.c's table: READY to SHUT). */
static inline int tlswi_sess_live(const tlsw_session *s) {
  return s->state >= TLSW_SESS_READY && s->state <= TLSW_SESS_SHUT;
}
/* session.c: a failure's status, settled (a fatal one makes the session
 * DEAD, frees its backend state, and is returned by every later call). */
int tlswi_sess_fail(tlsw_session *s, int status);
/* session.c: a server session without a certificate, when it is used. */
int tlswi_sess_no_credentials(tlsw_session *s, const char *when);

/* A copy of a DER certificate (der_len bytes follow the header). */
struct tlsw_kept_cert {
  size_t der_len;
  uint8_t der[];
};

/* C99 has no max_align_t; this union is aligned at least as strictly as
 * anything a backend keeps in its state. */
typedef union tlsw_max_align {
  long double ld;
  long long ll;
  void *p;
  void (*fn)(void);
} tlsw_max_align;

/* Round a size up so that what follows it is aligned for any type. */
#define TLSW_ALIGN_UP(n) \
  (((n) + sizeof(tlsw_max_align) - 1) & ~(sizeof(tlsw_max_align) - 1))

const tlsw_backend *tlswi_backend_get(void);

/* core/context.c: TLSW_OK when the backend has feature (TLSW_FEATURE_*),
 * else TLSW_ERR_UNSUPPORTED with "fn: this <backend> build has no what"
 * in ctx's message. One wording for every setter of an optional feature. */
int tlswi_ctx_needs(tlsw_ctx *ctx, unsigned feature, const char *fn,
                    const char *what);

#define TLSWI_EST_RESUMED 2u
/* The peer's close_notify arrived after ours was sent (state SHUT): reads
 * then answer TLSW_CLOSED without the backend. */
#define TLSWI_EST_PEER_CLOSED 4u

/* core/resume.c */
void tlswi_resume_record(tlsw_session *s);
int tlswi_resume_params(tlsw_session *s, const tlsw_wrap_opts *opts,
                        const char *host, tlsw_sess_params *p);

/* core/groups.c: at most this many groups in tlsw_ctx_set_groups(). */
#define TLSWI_MAX_GROUPS 8
const char *tlswi_group_name(unsigned id);

/* core/sni.c */
void tlswi_sni_free(tlsw_ctx *ctx);
int tlswi_sni_select(const tlsw_config *cfg, const char *name, void **bctx,
                     tlsw_err *e);

/* core/alpn.c */
int tlswi_alpn_record(tlsw_session *s);
int tlswi_alpn_select(const char *ours, const uint8_t *offered, size_t len,
                      const uint8_t **sel, uint8_t *sel_len);

#endif
