/*
 * A small long-option parser shared by the tools (getopt_long is not in
 * POSIX). Accepts "--name value", "--name=value", "-x value", "-x", and
 * "--" to end the options. Anything not starting with '-' (and "-" alone)
 * is a positional argument.
 */
#ifndef TLSW_CLI_ARGS_H
#define TLSW_CLI_ARGS_H

typedef struct cli_opt {
  const char *name; /* long name without "--" */
  char short_name;  /* 0 if none */
  int has_value;    /* 1: takes a value */
  int id;           /* returned by cli_next_opt (> 0) */
} cli_opt;

enum { CLI_ARG_END = 0, CLI_ARG_POSITIONAL = -1, CLI_ARG_ERROR = -2 };

typedef struct cli_args {
  int argc;
  char **argv;
  int i;        /* next argv index */
  int only_pos; /* after "--" */
} cli_args;

void cli_args_init(cli_args *a, int argc, char **argv);

/* Next option: its id with *value set for options taking one (else NULL);
 * CLI_ARG_POSITIONAL with *value the argument; CLI_ARG_END; or
 * CLI_ARG_ERROR after printing what is wrong. opts ends with a zero entry. */
int cli_next_opt(cli_args *a, const cli_opt *opts, const char **value);

#endif
