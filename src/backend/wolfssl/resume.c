/*
 * Resumption on wolfSSL: tickets on or off per session, a client session
 * encoded with wolfSSL's own session serialisation (HAVE_EXT_CACHE) and
 * offered again. The envelope around these bytes and the rules for
 * offering them are the core's (core/resume.c).
 */
#include "backend/wolfssl/internal.h"

#include <string.h>

#include "support/alloc.h"

/* At wrap time. A server issues tickets unless told not to (the
 * context's ticket keys: wolfSSL generates and rotates them); a client
 * asks TLS 1.2 servers for one. Then the saved session, if any. */
int tlswi_wb_resume_setup(wsess *s, const tlsw_config *cfg,
                          const tlsw_sess_params *p) {
#ifdef HAVE_SESSION_TICKET
  if (WB_IS_SERVER(cfg) && !cfg->tickets) {
    wolfSSL_NoTicketTLSv12(s->ssl);
#ifdef WOLFSSL_TLS13
    if (!WB_IS_DTLS(cfg)) wolfSSL_no_ticket_TLSv13(s->ssl);
#endif
  } else if (!WB_IS_SERVER(cfg) && cfg->tickets &&
             wolfSSL_UseSessionTicket(s->ssl) != WOLFSSL_SUCCESS) {
    return tlswi_err_set(p->err, TLSW_ERR_NOMEM, 0,
                         "wrap: out of memory for the session ticket "
                         "extension");
  }
#else
  (void)cfg;
#endif
  if (p->resume == NULL) return TLSW_OK;
#if TLSW_WB_RESUMPTION
  const unsigned char *q = p->resume;
  WOLFSSL_SESSION *ws = wolfSSL_d2i_SSL_SESSION(NULL, &q, (long)p->resume_len);
  if (ws == NULL) {
    return tlswi_err_set(p->err, TLSW_ERR_ARG, 0,
                         "wrap: opts->session cannot be read (saved by a "
                         "differently built tlswrap, or damaged)");
  }
  /* A session the server's ticket lifetime has passed is refused here:
   * that is no error, the handshake is simply a full one
   * (tlsw_session_resumed() says 0). */
  (void)wolfSSL_set_session(s->ssl, ws);
  wolfSSL_SESSION_free(ws);
  return TLSW_OK;
#else
  (void)s;
  return tlswi_err_set(p->err, TLSW_ERR_UNSUPPORTED, 0,
                       "wrap: this wolfSSL build cannot resume sessions");
#endif
}

#if TLSW_WB_RESUMPTION
int tlswi_wb_sess_save(void *bsess, uint8_t *buf, size_t cap, size_t *len,
                       tlsw_err *e) {
  wsess *s = bsess;
  *len = 0;
  WOLFSSL_SESSION *ws = wolfSSL_get1_session(s->ssl);
  if (ws == NULL) {
    return tlswi_err_set(e, TLSW_ERR_STATE, 0,
                         "session_save: the session has no state to save");
  }
  int st = TLSW_OK;
  /* TLS 1.3 resumes by ticket only, and the ticket comes after the
   * handshake: without it the bytes could never resume anything. */
  const char *v = wolfSSL_get_version(s->ssl);
  if (v != NULL && strcmp(v, "TLSv1.3") == 0 &&
      !wolfSSL_SESSION_has_ticket(ws)) {
    st = tlswi_err_set(e, TLSW_ERR_STATE, 0,
                       "session_save: the server has sent no ticket yet "
                       "(TLS 1.3 sends it after the handshake): read from "
                       "the session first");
  }
  int n = st == TLSW_OK ? wolfSSL_i2d_SSL_SESSION(ws, NULL) : 0;
  if (st == TLSW_OK && n <= 0) {
    st = tlswi_err_set(e, TLSW_ERR_INTERNAL, n,
                       "session_save: wolfSSL could not encode the session "
                       "(%d)",
                       n);
  }
  if (st == TLSW_OK) {
    *len = (size_t)n;
    if (buf == NULL || cap < (size_t)n) {
      st = TLSW_ERR_TOO_BIG;
    } else {
      unsigned char *q = buf;
      if (wolfSSL_i2d_SSL_SESSION(ws, &q) != n) {
        st = tlswi_err_set(e, TLSW_ERR_INTERNAL, 0,
                           "session_save: wolfSSL encoded the session "
                           "differently twice");
      }
    }
  }
  wolfSSL_SESSION_free(ws);
  return st;
}
#endif

const char *tlswi_wb_sess_host(const void *bsess) {
  const wsess *s = bsess;
  return WB_IS_SERVER(s->cfg) ? NULL : s->name.host;
}

int tlswi_wb_resumed(const void *bsess) {
  const wsess *s = bsess;
  return wolfSSL_session_reused(s->ssl) == 1;
}
