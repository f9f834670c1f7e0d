/*
 * tlswrap statuses and suite names as MicroPython programs expect them from
 * mbedTLS. The codes are mbedTLS 3.x's (MicroPython's unix port ships 3.6).
 */
#include "tlsw_mp_map.h"

#include <string.h>

#include "tlswrap/status.h"

typedef struct err_row {
  int status;
  int code;
  const char *name;
} err_row;

/*
 * Only statuses with a real mbedTLS counterpart are listed; the others keep
 * tlswrap's own code and message (an invented mbedTLS code would mislead
 * anyone who looks it up). Transport failures are not here either: the
 * adapter raises OSError(errno) for them, as MicroPython does.
 */
static const err_row err_rows[] = {
    {TLSW_ERR_EOF, -0x7280, "MBEDTLS_ERR_SSL_CONN_EOF"},
    {TLSW_ERR_ALERT, -0x7780, "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"},
    {TLSW_ERR_CERT_MISSING, -0x7480, "MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE"},
    {TLSW_ERR_CIPHER, -0x5E80, "MBEDTLS_ERR_SSL_BAD_CONFIG"},
    {TLSW_HELLO_VERIFY, -0x6A80, "MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED"},
    {TLSW_ERR_BAD_RECORD, -0x7200, "MBEDTLS_ERR_SSL_INVALID_RECORD"},
    {TLSW_ERR_ARG, -0x7100, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"},
    /* mbedTLS rejects an over-long DTLS write as bad input, too. */
    {TLSW_ERR_TOO_BIG, -0x7100, "MBEDTLS_ERR_SSL_BAD_INPUT_DATA"},
    /* mbedTLS 3.x reports "no shared suite" as a handshake failure. */
    {TLSW_ERR_NO_SHARED_CIPHER, -0x6A00, "MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE"},
    {TLSW_ERR_HANDSHAKE, -0x6A00, "MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE"},
    {TLSW_ERR_VERSION, -0x6E80, "MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION"},
    /* A verify_callback that returns non-zero: mbedTLS hands the value on
     * and MicroPython prints it as the generic error. */
    {TLSW_ERR_CERT_REJECTED, -0x0001, "MBEDTLS_ERR_ERROR_GENERIC_ERROR"},
    {TLSW_ERR_UNSUPPORTED, -0x7080, "MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE"},
    {TLSW_ERR_TIMEOUT, -0x6800, "MBEDTLS_ERR_SSL_TIMEOUT"},
};

int tlsw_mp_mbedtls_error(int status, int *code, const char **name) {
  for (size_t i = 0; i < sizeof err_rows / sizeof err_rows[0]; i++) {
    if (err_rows[i].status == status) {
      *code = err_rows[i].code;
      *name = err_rows[i].name;
      return 1;
    }
  }
  return 0;
}

const char *tlsw_mp_verify_text(int status) {
  /* The strings of mbedtls_x509_crt_verify_info(), verbatim: programs and
   * MicroPython's .exp files compare them. */
  switch (status) {
    case TLSW_ERR_CERT_EXPIRED: return "The certificate validity has expired";
    case TLSW_ERR_CERT_NOT_YET_VALID:
      return "The certificate validity starts in the future";
    case TLSW_ERR_CERT_HOSTNAME:
      return "The certificate Common Name (CN) does not match with the "
             "expected CN";
    case TLSW_ERR_CERT_UNTRUSTED:
      return "The certificate is not correctly signed by the trusted CA";
    case TLSW_ERR_CERT_WEAK_KEY:
      return "The certificate is signed with an unacceptable key (eg bad "
             "curve, RSA too short).";
    default: return NULL;
  }
}

static int has(const char *s, const char *part) {
  return strstr(s, part) != NULL;
}

static int is_tls13(const char *iana) {
  return strncmp(iana, "TLS_", 4) == 0 && !has(iana, "_WITH_");
}

int tlsw_mp_cipher_allowed(const char *iana, int tls13) {
  if (is_tls13(iana)) {
    return tls13 && (has(iana, "_GCM_") || has(iana, "CHACHA20"));
  }
  /* Forward-secret key exchange authenticated by a certificate or a PSK
   * only: no anonymous, static-ECDH, plain-PSK or export suites. */
  if (strncmp(iana, "TLS_ECDHE_ECDSA_WITH_", 21) != 0 &&
      strncmp(iana, "TLS_ECDHE_RSA_WITH_", 19) != 0 &&
      strncmp(iana, "TLS_DHE_RSA_WITH_", 17) != 0 &&
      strncmp(iana, "TLS_ECDHE_PSK_WITH_", 19) != 0 &&
      strncmp(iana, "TLS_DHE_PSK_WITH_", 17) != 0) {
    return 0;
  }
  /* Strong ciphers only: no NULL, RC4, (3)DES, IDEA, SEED. */
  if (!has(iana, "_AES_") && !has(iana, "CHACHA20_POLY1305") &&
      !has(iana, "_CAMELLIA_") && !has(iana, "_ARIA_")) {
    return 0;
  }
  return !has(iana, "_MD5");
}

int tlsw_mp_cipher_default(const char *iana) {
  if (is_tls13(iana)) return 1;
  /* PSK suites come with psk_identity/server_psk_keys, never by default. */
  if (strncmp(iana, "TLS_ECDHE_", 10) != 0 || has(iana, "_PSK_")) return 0;
  return has(iana, "_GCM_") || has(iana, "CHACHA20") || has(iana, "_SHA256") ||
         has(iana, "_SHA384");
}

/* Position of the first listed substring found, or n. */
static int which(const char *s, const char *const *parts, int n) {
  for (int i = 0; i < n; i++) {
    if (has(s, parts[i])) return i;
  }
  return n;
}

int tlsw_mp_cipher_rank(const char *iana) {
  /* mbedTLS's ciphersuite_preference[]: TLS 1.3 first, then ChaCha, then
   * by cipher and key size (AES-256, CAMELLIA-256, ARIA-256, AES-128, ...),
   * then by mode (GCM, CCM, CBC with SHA-2, CBC with SHA-1, CCM-8), then by
   * key exchange (ECDHE-ECDSA, ECDHE-RSA, DHE-RSA). */
  static const char *const tls13[] = {"CHACHA20", "AES_256_GCM", "AES_128_GCM",
                                      "AES_128_CCM_8", "AES_128_CCM"};
  static const char *const groups[] = {
      "CHACHA20",  "_AES_256_",      "_CAMELLIA_256_", "_ARIA_256_",
      "_AES_128_", "_CAMELLIA_128_", "_ARIA_128_"};
  static const char *const modes[] = {"_GCM_",   "_CCM_8",  "_CCM",
                                      "_SHA384", "_SHA256", "_SHA"};
  static const char *const kx[] = {"ECDHE_ECDSA", "ECDHE_RSA", "DHE_RSA"};
  if (is_tls13(iana)) return which(iana, tls13, 5);
  int g = which(iana, groups, 7);
  int m = which(iana, modes, 6);
  /* CCM-8 comes after CBC in mbedTLS; SHA384 and SHA256 share a rank. */
  static const int mode_rank[] = {0, 4, 1, 2, 2, 3, 5};
  /* mbedTLS lists the PSK suites after all certificate ones. */
  int psk = has(iana, "_PSK_") ? 1000 : 0;
  return psk + 100 + g * 100 + mode_rank[m] * 10 + which(iana, kx, 3);
}

int tlsw_mp_cipher_to_mbedtls(const char *iana, char *out, size_t n) {
  const char *src = iana;
  size_t pos = 0;
  if (is_tls13(iana)) {
    if (n < 8) return -1;
    memcpy(out, "TLS1-3-", 7);
    pos = 7;
    src = iana + 4;
  }
  for (; *src != '\0'; src++) {
    if (pos + 1 >= n) return -1;
    out[pos++] = *src == '_' ? '-' : *src;
  }
  if (pos >= n) return -1;
  out[pos] = '\0';
  return 0;
}

int tlsw_mp_cipher_to_iana(const char *name, char *out, size_t n) {
  const char *src = name;
  size_t pos = 0;
  if (strncmp(name, "TLS1-3-", 7) == 0) {
    if (n < 5) return -1;
    memcpy(out, "TLS_", 4);
    pos = 4;
    src = name + 7;
  }
  for (; *src != '\0'; src++) {
    if (pos + 1 >= n) return -1;
    out[pos++] = *src == '-' ? '_' : *src;
  }
  if (pos >= n) return -1;
  out[pos] = '\0';
  return 0;
}
