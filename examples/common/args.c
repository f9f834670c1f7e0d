#include "args.h"

#include <string.h>

#include "cli.h"

void cli_args_init(cli_args *a, int argc, char **argv) {
  a->argc = argc;
  a->argv = argv;
  a->i = 1;
  a->only_pos = 0;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name,
                                size_t len) {
  for (; opts->name != NULL; opts++) {
    if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0) {
      return opts;
    }
  }
  return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c) {
  for (; opts->name != NULL; opts++) {
    if (opts->short_name == c) return opts;
  }
  return NULL;
}

int cli_next_opt(cli_args *a, const cli_opt *opts, const char **value) {
  *value = NULL;
  if (a->i >= a->argc) return CLI_ARG_END;
  const char *arg = a->argv[a->i++];
  if (a->only_pos || arg[0] != '-' || arg[1] == '\0') {
    *value = arg;
    return CLI_ARG_POSITIONAL;
  }
  if (strcmp(arg, "--") == 0) {
    a->only_pos = 1;
    return cli_next_opt(a, opts, value);
  }
  const cli_opt *o;
  const char *inline_val = NULL;
  if (arg[1] == '-') {
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    o = find_long(opts, name, len);
    if (eq != NULL) inline_val = eq + 1;
  } else {
    /* Single-letter options are never bundled ("-vq"): that keeps the
     * parser small and the errors clear. */
    o = arg[2] == '\0' ? find_short(opts, arg[1]) : NULL;
    /* openssl's spelling of the version flags (-tls1_2, -tls1_3), which
     * users type from habit; no other single-dash long name. */
    if (o == NULL && strncmp(arg + 1, "tls1_", 5) == 0) {
      o = find_long(opts, arg + 1, strlen(arg + 1));
    }
  }
  if (o == NULL) {
    cli_msg("unknown option %s (see --help)", arg);
    return CLI_ARG_ERROR;
  }
  if (!o->has_value) {
    if (inline_val != NULL) {
      cli_msg("option --%s takes no value (see --help)", o->name);
      return CLI_ARG_ERROR;
    }
    return o->id;
  }
  if (inline_val == NULL) {
    if (a->i >= a->argc) {
      cli_msg("option %s needs a value (see --help)", arg);
      return CLI_ARG_ERROR;
    }
    inline_val = a->argv[a->i++];
  }
  *value = inline_val;
  return o->id;
}
