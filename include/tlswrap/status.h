/**
 * @file
 * @brief Status codes: what every tlswrap call returns, their categories
 * and their texts.
 *
 * @defgroup status Statuses
 * @brief Status codes, categories and their texts.
 *
 * Every tlswrap function that can fail returns an int status: TLSW_OK (0) or
 * one of the negative codes below. Codes fall into categories so that a
 * caller (or an interpreter adapter) can handle them with one switch on
 * tlsw_status_category(); the exact code is there for finer decisions.
 *
 * Which statuses are "sticky": a status in the categories CLOSED (except
 * TLSW_CLOSED itself, see below), IO, CERT, PROTOCOL, NOMEM and INTERNAL
 * that a session returns from handshake/read/write/shutdown is fatal. The
 * session remembers it and every later I/O call returns it again without
 * touching the transport. BLOCKED statuses, TLSW_ERR_DATAGRAM_DROPPED and the
 * USAGE statuses that reject a call's arguments are never sticky, with one
 * exception: a fresh DTLS server session (tlsw_wrap for a peer that has not
 * shown a valid cookie) whose datagram is dropped is finished, like one that
 * returned TLSW_HELLO_VERIFY, and keeps returning it (see tlswrap/dtls.h).
 *
 * The full table, with the message of every status, is in docs/errors.md.
 * @{
 */
#ifndef TLSWRAP_STATUS_H
#define TLSWRAP_STATUS_H

#include "tlswrap/export.h"

TLSW_BEGIN_DECLS

/**
 * @brief The category of a status (tlsw_status_category()).
 *
 * One switch covers every status.
 */
typedef enum tlsw_category {
  TLSW_CAT_OK = 0,  /**< #TLSW_OK */
  TLSW_CAT_BLOCKED, /**< retry the same call when tlsw_session_want() says so */
  TLSW_CAT_CLOSED,  /**< the peer closed the connection */
  TLSW_CAT_IO,      /**< the transport failed (errno in the message) */
  TLSW_CAT_CERT,    /**< a certificate or key: loading it or verifying it */
  TLSW_CAT_PROTOCOL, /**< TLS/DTLS negotiation or record failure */
  TLSW_CAT_USAGE,    /**< the caller did something the API does not allow */
  TLSW_CAT_NOMEM,    /**< an allocation failed */
  TLSW_CAT_INTERNAL  /**< the backend failed in a way tlswrap did not
                          expect */
} tlsw_category;

/**
 * @brief The statuses: #TLSW_OK (0) or negative.
 *
 * Grouped by category, ten codes apart; docs/errors.md gives each one's
 * message (tlsw_strerror()), category and whether it is sticky.
 */
enum tlsw_status {
  TLSW_OK = 0, /**< success */

  /* BLOCKED: the transport would block. Call again (same arguments) once
   * the direction given by tlsw_session_want() is ready. */
  TLSW_WANT_READ = -1,  /**< would block: waiting to read from the
                             transport */
  TLSW_WANT_WRITE = -2, /**< would block: waiting to write to the
                             transport */

  /* CLOSED */
  TLSW_CLOSED = -10,  /**< peer sent close_notify: clean end of data */
  TLSW_ERR_EOF = -11, /**< transport EOF without close_notify
                           (possible truncation attack) */

  /* IO */
  TLSW_ERR_IO = -20,      /**< transport error; errno in the message */
  TLSW_ERR_TIMEOUT = -21, /**< transport timed out */
  TLSW_ERR_RESET = -22,   /**< connection reset by peer */
  TLSW_ERR_FILE = -23,    /**< a file could not be opened or read */

  /* CERT: verification */
  TLSW_ERR_CERT_VERIFY = -30,        /**< chain did not verify (other reason) */
  TLSW_ERR_CERT_UNTRUSTED = -31,     /**< unknown issuer / self-signed */
  TLSW_ERR_CERT_EXPIRED = -32,       /**< a certificate has expired */
  TLSW_ERR_CERT_NOT_YET_VALID = -33, /**< a certificate is not yet valid */
  TLSW_ERR_CERT_HOSTNAME = -34,      /**< name does not match server_hostname */
  TLSW_ERR_CERT_MISSING = -35,       /**< peer sent no certificate, one was
                                          required */
  TLSW_ERR_CERT_REJECTED = -36,      /**< the verify callback rejected it */
  /* CERT: loading */
  TLSW_ERR_CERT_INVALID = -37,  /**< certificate data could not be parsed */
  TLSW_ERR_KEY_INVALID = -38,   /**< key data could not be parsed */
  TLSW_ERR_KEY_PASSWORD = -39,  /**< encrypted key: password missing/wrong */
  TLSW_ERR_KEY_MISMATCH = -40,  /**< key does not belong to certificate */
  TLSW_ERR_CERT_WEAK_KEY = -41, /**< key too small for the backend policy
                                     (own key, or a certificate of the
                                     peer) */

  /* PROTOCOL */
  TLSW_ERR_HANDSHAKE = -50,        /**< handshake failed (other reason) */
  TLSW_ERR_ALERT = -51,            /**< peer sent a fatal alert (name in
                                        message) */
  TLSW_ERR_NO_SHARED_CIPHER = -52, /**< no shared cipher suite */
  TLSW_ERR_VERSION = -53,          /**< no shared protocol version */
  TLSW_ERR_BAD_RECORD = -54,       /**< malformed or unauthentic record */
  TLSW_HELLO_VERIFY = -55,         /**< DTLS server: HelloVerifyRequest
                                        sent, session holds no state; wrap
                                        again */
  TLSW_ERR_DATAGRAM_DROPPED = -56, /**< DTLS: a junk datagram was
                                        discarded; not sticky, call again */

  /* USAGE */
  TLSW_ERR_ARG = -60,         /**< invalid argument (message says which) */
  TLSW_ERR_STATE = -61,       /**< call not valid in this state */
  TLSW_ERR_UNSUPPORTED = -62, /**< backend lacks the feature */
  TLSW_ERR_CIPHER = -63,      /**< unknown or unusable cipher name */
  TLSW_ERR_HOSTNAME_REQUIRED = -64, /**< CERT_REQUIRED client without
                                         server_hostname */
  TLSW_ERR_TOO_BIG = -65, /**< DTLS write larger than a datagram, or an
                           * output buffer too small for the result */
  TLSW_ERR_SHUT = -66,    /**< session was shut down or freed */

  /* NOMEM */
  TLSW_ERR_NOMEM = -70, /**< out of memory */

  /* INTERNAL */
  TLSW_ERR_INTERNAL = -80 /**< internal error in the TLS backend */
};

/**
 * @brief Category of a status.
 *
 * @param status Any int, a tlswrap status or not.
 * @return The status's category. Unknown codes are #TLSW_CAT_INTERNAL.
 *
 * Errors: none.
 */
TLSW_API tlsw_category tlsw_status_category(int status);

/**
 * @brief Static English text for a status, e.g. "certificate has expired".
 *
 * @param status Any int, a tlswrap status or not.
 * @return A static string, never NULL; unknown codes give "unknown tlswrap
 *         status". The same text as docs/errors.md's table.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_strerror(int status);

/**
 * @brief Static identifier of a status, e.g. "TLSW_ERR_CERT_EXPIRED".
 *
 * @param status Any int, a tlswrap status or not.
 * @return A static string, never NULL; unknown codes give "TLSW_UNKNOWN".
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_status_name(int status);

/**
 * @brief Whether a status ends a session: the sticky rule above, as code.
 *
 * Adapters and programs decide with it whether to free a session (or stop
 * retrying) without keeping their own copy of the rule. It looks at the
 * status alone, so for the one case that depends on the session (a fresh
 * DTLS server session ended by #TLSW_ERR_DATAGRAM_DROPPED) it answers 0:
 * ask the session itself with tlsw_session_status(), which is not #TLSW_OK
 * once the session has ended for any reason.
 *
 * @param status Any int, a tlswrap status or not.
 * @return 1 if a session that returns @p status from tlsw_wrap(),
 *         tlsw_handshake(), tlsw_read(), tlsw_write() or tlsw_shutdown()
 *         is finished (the "Sticky" column of docs/errors.md), else 0.
 *         Unknown codes are #TLSW_CAT_INTERNAL and so give 1. No state is
 *         read or kept; safe from any thread.
 *
 * Errors: none.
 */
TLSW_API int tlsw_status_is_fatal(int status);

/**
 * @brief Static name of a category, e.g. "cert".
 *
 * @param cat A category; a value outside the enum gives "unknown".
 * @return A static string, never NULL.
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_category_name(tlsw_category cat);

/** @} */

TLSW_END_DECLS

#endif
