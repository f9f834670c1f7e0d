#include "tlsctx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "tlswrap/status.h"
#include "tlswrap/tlswrap.h"

int cli_new_ctx(tlsw_ctx **ctx, tlsw_protocol protocol) {
  int st = tlsw_ctx_new(ctx, protocol);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("cannot create a TLS context: %s%s", tlsw_strerror(st),
          st == TLSW_ERR_UNSUPPORTED ? " (this build has no DTLS)" : "");
  return CLI_EXIT_USAGE;
}

int cli_load_identity(tlsw_ctx *ctx, const char *cert, const char *key,
                      const char *pass_spec) {
  char pass[1024];
  if (pass_spec != NULL && cli_password(pass_spec, pass, sizeof pass) != 0) {
    return CLI_EXIT_USAGE;
  }
  int st = tlsw_ctx_load_cert_chain_file(ctx, cert, key,
                                         pass_spec != NULL ? pass : NULL);
  /* The password has no business staying in memory. */
  memset(pass, 0, sizeof pass);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  const char *hint = "";
  switch (st) {
    case TLSW_ERR_KEY_PASSWORD:
      hint = pass_spec ? "; is --pass right?"
                       : "; give --pass pass:TEXT, env:VAR or file:PATH";
      break;
    case TLSW_ERR_KEY_MISMATCH:
      hint = "; --key must be the key of the --cert certificate";
      break;
    case TLSW_ERR_FILE: hint = "; check the path"; break;
    default: break;
  }
  cli_msg("cannot load --cert %s%s%s: %s%s", cert, key ? " --key " : "",
          key ? key : "", tlsw_ctx_message(ctx), hint);
  return CLI_EXIT_USAGE;
}

int cli_load_ca_file(tlsw_ctx *ctx, const char *file, const char *what) {
  int st = tlsw_ctx_load_verify_file(ctx, file);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("cannot load %s %s: %s%s", what, file, tlsw_ctx_message(ctx),
          st == TLSW_ERR_CERT_INVALID
              ? "; it must hold PEM or DER CA certificates"
              : "");
  return CLI_EXIT_USAGE;
}

int cli_load_ca_dir(tlsw_ctx *ctx, const char *dir) {
  int st = tlsw_ctx_load_verify_dir(ctx, dir);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("cannot load --capath %s: %s", dir, tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_set_ciphers(tlsw_ctx *ctx, const char *list) {
  int st = tlsw_ctx_set_cipher_string(ctx, list);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg(
      "bad --ciphers: %s; separate names with commas (--list-ciphers "
      "shows them)",
      tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_set_alpn(tlsw_ctx *ctx, const char *list) {
  int st = tlsw_ctx_set_alpn(ctx, list);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("bad --alpn: %s", tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_set_groups(tlsw_ctx *ctx, const char *list) {
  int st = tlsw_ctx_set_groups(ctx, list);
  if (st == TLSW_OK) return CLI_EXIT_OK;
  cli_msg("bad --groups: %s", tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_load_crl(tlsw_ctx *ctx, const char *file) {
  if (file == NULL || tlsw_ctx_load_crl_file(ctx, file) == TLSW_OK) {
    return CLI_EXIT_OK;
  }
  cli_msg("cannot load --crl %s: %s", file, tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_cipher_is_null(const char *name) {
  /* TLS 1.2: ..._WITH_NULL_<MAC>; TLS 1.3 (RFC 9150): TLS_SHA256_SHA256,
   * TLS_SHA384_SHA384, which name a hash where the AEAD would be. */
  return strstr(name, "_NULL_") != NULL || strncmp(name, "TLS_SHA", 7) == 0;
}

int cli_list_ciphers(FILE *out) {
  size_t n = 0, nd = 0;
  tlsw_ctx *ctx = NULL;
  if (tlsw_available_ciphers(NULL, 0, &n) != TLSW_OK ||
      cli_new_ctx(&ctx, TLSW_PROTOCOL_TLS_CLIENT) != CLI_EXIT_OK) {
    cli_msg("cannot list the cipher suites");
    return CLI_EXIT_USAGE;
  }
  tlsw_ctx_get_ciphers(ctx, NULL, 0, &nd);
  const char **all = calloc(n ? n : 1, sizeof *all);
  const char **def = calloc(nd ? nd : 1, sizeof *def);
  if (all == NULL || def == NULL) {
    free(all);
    free(def);
    tlsw_ctx_free(ctx);
    cli_msg("out of memory");
    return CLI_EXIT_IO;
  }
  tlsw_available_ciphers(all, n, &n);
  tlsw_ctx_get_ciphers(ctx, def, nd, &nd);
  fprintf(out, "# Enabled by default, in preference order:\n");
  for (size_t i = 0; i < nd; i++) fprintf(out, "%s\n", def[i]);
  /* Two passes over the others: suites that encrypt nothing must not hide
   * among the merely "weaker" ones. */
  for (int pass = 0; pass < 2; pass++) {
    int heading = 0;
    for (size_t i = 0; i < n; i++) {
      int is_def = 0;
      for (size_t j = 0; j < nd; j++) {
        if (strcmp(all[i], def[j]) == 0) is_def = 1;
      }
      if (is_def || cli_cipher_is_null(all[i]) != pass) continue;
      if (!heading) {
        fputs(pass == 0 ? "# Also available with --ciphers (weaker or "
                          "unusual; name them only if you must):\n"
                        : "# NO ENCRYPTION: integrity only, everything is "
                          "sent in clear text (for debugging; never for "
                          "secrets):\n",
              out);
        heading = 1;
      }
      fprintf(out, "%s\n", all[i]);
    }
  }
  free(all);
  free(def);
  tlsw_ctx_free(ctx);
  return CLI_EXIT_OK;
}

void cli_print_version(FILE *out, const char *prog) {
  /* Every bit tlswrap.h defines, by name; a bit this tool does not know yet
   * is still shown, as a number, rather than hidden. */
  static const struct {
    unsigned bit;
    const char *name;
  } names[] = {
      {TLSW_FEATURE_TLS13, "TLS1.3"},
      {TLSW_FEATURE_DTLS, "DTLS1.2"},
      {TLSW_FEATURE_PSK, "PSK"},
      {TLSW_FEATURE_CA_DIR, "CA-directory"},
      {TLSW_FEATURE_TIME_SOURCE, "time-source"},
      {TLSW_FEATURE_FILES, "files"},
      {TLSW_FEATURE_ALPN, "ALPN"},
      {TLSW_FEATURE_KEYLOG, "keylog"},
      {TLSW_FEATURE_EXPORTER, "exporter"},
      {TLSW_FEATURE_RESUMPTION, "resumption"},
      {TLSW_FEATURE_ENCRYPTED_KEYS, "encrypted-keys"},
      {TLSW_FEATURE_SERVER_SNI, "server-SNI"},
      {TLSW_FEATURE_CRL, "CRL"},
      {TLSW_FEATURE_OCSP, "OCSP"},
      {TLSW_FEATURE_DTLS13, "DTLS1.3"},
      {TLSW_FEATURE_DTLS_CID, "DTLS-CID"},
  };
  unsigned f = tlsw_backend_features(), known = 0;
  fprintf(out, "%s %s\n", prog, tlsw_version_string());
  fprintf(out, "backend: %s\n", tlsw_backend_name());
  fprintf(out, "features:");
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    known |= names[i].bit;
    if (f & names[i].bit) fprintf(out, " %s", names[i].name);
  }
  if (f & ~known) fprintf(out, " 0x%x", f & ~known);
  fprintf(out, "\n");
  fprintf(out, "protocols: TLS 1.2%s%s%s\n",
          (f & TLSW_FEATURE_TLS13) ? ", TLS 1.3" : "",
          (f & TLSW_FEATURE_DTLS) ? ", DTLS 1.2" : "",
          (f & TLSW_FEATURE_DTLS13) ? ", DTLS 1.3" : "");
}

/* ">>> TLS Handshake [length 0137], ClientHello", "<<< DTLS Alert [length
 * 0002], fatal unknown_ca (48)", ">>> TLS ApplicationData [length 0035]
 * (encrypted)": direction, record layer, type, length in hex as openssl
 * prints it, then what the content says where it can be read. */
static void print_msg(void *user, const tlsw_msg *m) {
  const char *prefix = user;
  char what[96] = "";
  if (m->handshake_type >= 0) {
    snprintf(what, sizeof what, ", %s",
             tlsw_handshake_type_name(m->handshake_type));
  } else if (m->alert_level >= 0) {
    snprintf(what, sizeof what, ", %s %s (%d)",
             m->alert_level == 2 ? "fatal" : "warning",
             tlsw_alert_name(m->alert_description), m->alert_description);
  } else if (m->encrypted) {
    snprintf(what, sizeof what, " (encrypted)");
  }
  fprintf(stderr, "%s%s %s %s [length %04zx]%s\n", prefix,
          m->sent ? ">>>" : "<<<", m->datagram ? "DTLS" : "TLS",
          tlsw_content_type_name(m->content_type), m->length, what);
}

void cli_trace_messages(tlsw_ctx *ctx, const char *prefix) {
  tlsw_ctx_set_msg_callback(ctx, print_msg, (void *)(uintptr_t)prefix);
}

static void keylog_line(void *user, const char *line) {
  FILE *f = user;
  /* One line at a time and flushed: Wireshark reads the file while the
   * tool runs, and a crash must not lose what was logged. */
  fprintf(f, "%s\n", line);
  fflush(f);
}

void cli_keylog_from_env(tlsw_ctx *ctx) {
  const char *path = getenv("SSLKEYLOGFILE");
  if (path == NULL || path[0] == '\0') return;
  if (!(tlsw_backend_features() & TLSW_FEATURE_KEYLOG)) {
    cli_msg(
        "SSLKEYLOGFILE is set, but this build cannot log keys (%s "
        "without secret callbacks); going on without",
        tlsw_backend_name());
    return;
  }
  /* The file holds keys that decrypt the traffic: only its owner may read
   * it, as with curl. */
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
  FILE *f = fd >= 0 ? fdopen(fd, "a") : NULL;
  if (f == NULL) {
    cli_msg("cannot open SSLKEYLOGFILE %s: %s; going on without", path,
            strerror(errno));
    if (fd >= 0) close(fd);
    return;
  }
  if (tlsw_ctx_set_keylog_callback(ctx, keylog_line, f) != TLSW_OK) {
    cli_msg("cannot log keys: %s", tlsw_ctx_message(ctx));
    fclose(f);
  }
}

/* --keymat-export given: the sessions must keep what the exporter needs.
 * CLI_EXIT_OK, or CLI_EXIT_USAGE after saying why not. */
int cli_keymat_enable(tlsw_ctx *ctx, const char *label) {
  if (label == NULL || tlsw_ctx_set_exporter(ctx, 1) == TLSW_OK) {
    return CLI_EXIT_OK;
  }
  cli_msg("--keymat-export: %s", tlsw_ctx_message(ctx));
  return CLI_EXIT_USAGE;
}

int cli_keymat_hex(tlsw_session *s, const char *label, long len, char *out,
                   size_t cap) {
  uint8_t km[CLI_KEYMAT_MAX];
  if (len < 1 || len > CLI_KEYMAT_MAX || cap < 2 * (size_t)len + 1) {
    snprintf(out, cap, "bad length");
    return -1;
  }
  if (tlsw_session_export_keying_material(s, label, NULL, 0, km, (size_t)len) !=
      TLSW_OK) {
    snprintf(out, cap, "%s", tlsw_session_message(s));
    return -1;
  }
  for (long i = 0; i < len; i++) {
    snprintf(out + 2 * i, 3, "%02X", km[i]);
  }
  memset(km, 0, sizeof km);
  return 0;
}
