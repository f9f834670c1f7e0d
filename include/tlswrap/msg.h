/**
 * @file msg.h
 * @brief Tracing the protocol: a callback for every record and handshake
 * message a session sends or receives (like OpenSSL's msg_callback behind
 * `openssl s_client -msg`), and the standard names of what it reports.
 *
 * The trace is read off the bytes that cross the session's transport, so
 * it costs nothing unless a callback is set, and it is the same on every
 * backend. What a record's encryption hides cannot be shown: after a
 * ChangeCipherSpec (TLS 1.2), in a TLS 1.3 encrypted record (type 23) and
 * in a DTLS record of a later epoch, the record's type and length are
 * reported with #tlsw_msg::encrypted set.
 */
#ifndef TLSWRAP_MSG_H
#define TLSWRAP_MSG_H

#include "tlswrap/export.h"

#include <stddef.h>

#include "tlswrap/context.h"
#include "tlswrap/status.h"

TLSW_BEGIN_DECLS

/** @defgroup msg Message trace
 * @{ */

/** @brief One record or handshake message seen on a session's transport.
 *
 * Filled by the library and valid only during the callback. New members
 * are added at the end only; #size says how many bytes this library
 * filled, so a program built against a newer header can tell. */
typedef struct tlsw_msg {
  size_t size;      /**< sizeof(tlsw_msg) of the library that filled it */
  int sent;         /**< 1: this session sent it; 0: it received it */
  int datagram;     /**< 1: a DTLS record */
  unsigned version; /**< the record layer's version field, e.g. 0x0303 */
  /** The record's content type: 20 change_cipher_spec, 21 alert,
   * 22 handshake, 23 application_data (TLS 1.3: every encrypted record). */
  unsigned content_type;
  /** The record's length; for a handshake message, the message's. */
  size_t length;
  int encrypted;         /**< 1: the content cannot be read from the wire */
  int handshake_type;    /**< the handshake message type, or -1 */
  int alert_level;       /**< 1 warning, 2 fatal, or -1 */
  int alert_description; /**< the alert's code, or -1 */
} tlsw_msg;

/** @brief Receives one traced record or handshake message.
 *
 * Called from inside the session's transport callbacks: it must not call
 * tlswrap functions on that session (they return #TLSW_ERR_STATE).
 *
 * @param user The pointer given to tlsw_ctx_set_msg_callback().
 * @param m What was seen; valid only during the call. */
typedef void (*tlsw_msg_fn)(void *user, const tlsw_msg *m);

/**
 * @brief Trace the records and handshake messages of the sessions wrapped
 * from this context from now on.
 *
 * A handshake record carrying several messages gives one call per message
 * whose header it holds; every other record gives one call. Each session
 * traced keeps about 80 bytes of parser state, allocated at tlsw_wrap().
 *
 * @param ctx The context.
 * @param fn The callback, or NULL to stop tracing new sessions.
 * @param user Passed to fn; not used by tlswrap otherwise; it must stay
 *        valid while a session wrapped with it lives.
 * @retval TLSW_OK Set.
 * @retval TLSW_ERR_ARG ctx NULL.
 *
 * Errors: TLSW_ERR_ARG.
 */
TLSW_API int tlsw_ctx_set_msg_callback(tlsw_ctx *ctx, tlsw_msg_fn fn,
                                       void *user);

/**
 * @brief The name of a record content type.
 * @param type A content type, e.g. #tlsw_msg::content_type.
 * @return Static text: "ChangeCipherSpec", "Alert", "Handshake",
 *         "ApplicationData", "Heartbeat", or "unknown".
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_content_type_name(unsigned type);

/**
 * @brief The name of a handshake message type (RFC 8446, RFC 5246,
 * RFC 6347).
 * @param type A handshake type, e.g. #tlsw_msg::handshake_type.
 * @return Static text, e.g. "ClientHello", or "unknown".
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_handshake_type_name(int type);

/**
 * @brief The name of a TLS alert (RFC 8446 section 6).
 * @param description An alert code, e.g. #tlsw_msg::alert_description.
 * @return Static text, e.g. "handshake_failure", or "unknown_alert".
 *
 * Errors: none.
 */
TLSW_API const char *tlsw_alert_name(int description);

/** @} */

TLSW_END_DECLS

#endif
