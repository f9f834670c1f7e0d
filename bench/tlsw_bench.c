/* tlsw_bench: the same loops through tlswrap, raw wolfSSL (configured as
 * tlswrap configures it) and OpenSSL 3, client and server in this thread
 * over an in-memory ring (bench.h). Prints one table: a column per
 * library and the ratios tlswrap/wolfSSL and tlswrap/OpenSSL.
 *
 * Method. The machine may be shared and busy, so time is this thread's
 * CPU time (CLOCK_THREAD_CPUTIME_ID), which another process cannot
 * inflate. Each figure is measured in repetitions; within a repetition the
 * three libraries run back to back in an order that rotates, so slow
 * drifts (frequency, caches, neighbours) hit all three alike. A ratio is
 * taken inside each repetition and the table shows the median ratio with
 * its min-max. Nothing here asserts a time: it is a measurement, not a
 * test.
 *
 * Usage: tlsw_bench [--quick] [--reps N] [--time SECONDS] [--only TEXT]
 *                   [--certs DIR] [--count N]
 *   --count N    no clock: every repetition does exactly N units of work
 *                per library, after N/10 as warm-up. For instruction
 *                counts under valgrind --tool=callgrind, where the CPU
 *                time of the three libraries is not comparable but the
 *                instructions per unit are (the rates printed are then
 *                meaningless).
 *   --certs DIR  use DIR made by tests/fixtures/gen-certs.sh; without it
 *                the certificates are generated into a temporary
 *                directory (openssl CLI) and removed at exit. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "tlswrap/tlswrap.h"

#ifndef TLSW_BENCH_GEN_CERTS
#define TLSW_BENCH_GEN_CERTS "tests/fixtures/gen-certs.sh"
#endif
#ifndef TLSW_BENCH_WOLFSSL_BUILD
#define TLSW_BENCH_WOLFSSL_BUILD "?"
#endif

#define NLIBS 3
#define MAX_REPS 64

static const bench_lib *const libs[NLIBS] = {
    &bench_lib_tlswrap, &bench_lib_wolfssl, &bench_lib_openssl};

static const bench_case cases[] = {
    {"TLS 1.3 handshake, X25519, ECDSA P-256", BENCH_HANDSHAKE, BENCH_TLS13, 0,
     0, NULL, 1},
    {"TLS 1.3 handshake, P-256 share, ECDSA P-256", BENCH_HANDSHAKE,
     BENCH_TLS13, 0, 1, NULL, 1},
    {"TLS 1.3 handshake, X25519, RSA-2048", BENCH_HANDSHAKE, BENCH_TLS13, 1, 0,
     NULL, 1},
    {"TLS 1.2 handshake, X25519, ECDSA P-256", BENCH_HANDSHAKE, BENCH_TLS12, 0,
     0, NULL, 1},
    {"DTLS 1.2 handshake+cookie, X25519, ECDSA", BENCH_HANDSHAKE, BENCH_DTLS12,
     0, 0, NULL, 1},
    {"bulk 16 KiB writes, ChaCha20-Poly1305", BENCH_BULK, BENCH_TLS13, 0, 0,
     "TLS_CHACHA20_POLY1305_SHA256", 1},
    {"bulk 16 KiB writes, AES-128-GCM", BENCH_BULK, BENCH_TLS13, 0, 0,
     "TLS_AES_128_GCM_SHA256", 1},
    {"bulk 16 KiB writes, AES-256-GCM", BENCH_BULK, BENCH_TLS13, 0, 0,
     "TLS_AES_256_GCM_SHA384", 1},
    {"64-byte echo, 1 session", BENCH_ECHO, BENCH_TLS13, 0, 0, NULL, 1},
    {"64-byte echo, 100 sessions", BENCH_ECHO, BENCH_TLS13, 0, 0, NULL, 100},
};
#define NCASES (sizeof cases / sizeof cases[0])

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(const double *v, int n) {
  double tmp[MAX_REPS];
  memcpy(tmp, v, (size_t)n * sizeof *v);
  qsort(tmp, (size_t)n, sizeof *tmp, cmp_double);
  return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void min_max(const double *v, int n, double *lo, double *hi) {
  *lo = *hi = v[0];
  for (int i = 1; i < n; i++) {
    if (v[i] < *lo) *lo = v[i];
    if (v[i] > *hi) *hi = v[i];
  }
}

/* Units of work one run() does, and what the table calls them. */
static double units_per_run(const bench_case *c) {
  switch (c->kind) {
    case BENCH_HANDSHAKE: return 1;
    case BENCH_BULK: return BENCH_BULK_CHUNK / 1e6; /* MB (10^6 bytes) */
    case BENCH_ECHO: return c->sessions;
  }
  return 1;
}

static const char *unit_name(const bench_case *c) {
  switch (c->kind) {
    case BENCH_HANDSHAKE: return "handshakes/s";
    case BENCH_BULK: return "MB/s";
    case BENCH_ECHO: return "round trips/s";
  }
  return "";
}

typedef struct lib_run {
  void *state;
  int ok;
  char why[256];
  long batch; /* runs between two clock reads, from the warm-up */
  double rate[MAX_REPS];
  /* One run() after the timed ones: a handshake (client and server), a
   * 16 KiB transfer, or a round trip on each session. */
  double alloc_calls, alloc_kib;
  double idle_cli, idle_srv; /* bytes an idle session holds (echo) */
  char desc[160];
} lib_run;

static long fixed_count; /* --count N, else 0 */

/* Runs batches until budget seconds of CPU time have passed; the rate in
 * units per CPU second, or -1 on failure. */
static double measure(const bench_case *c, const bench_lib *lib, lib_run *r,
                      double budget) {
  long n = 0;
  double t0 = cpu_now(), t;
  do {
    for (long i = 0; i < r->batch; i++) {
      if (lib->run(r->state, r->why, sizeof r->why) != 0) return -1;
    }
    n += r->batch;
    t = cpu_now() - t0;
  } while (t < budget && fixed_count == 0);
  if (t <= 0) t = 1e-9;
  return (double)n * units_per_run(c) / t;
}

/* Warm-up (first-use costs, caches, the CPU's clock) and the batch size:
 * a clock read costs a system call, so it is done about 20 times per
 * measurement, not after every run. */
static int warm_up(const bench_lib *lib, lib_run *r, double budget) {
  long n = 0;
  if (fixed_count > 0) {
    for (long i = 0; i < fixed_count / 10 + 1; i++) {
      if (lib->run(r->state, r->why, sizeof r->why) != 0) return -1;
    }
    r->batch = fixed_count;
    return 0;
  }
  double t0 = cpu_now(), t;
  do {
    if (lib->run(r->state, r->why, sizeof r->why) != 0) return -1;
    n++;
    t = cpu_now() - t0;
  } while (t < budget / 4 || n < 3);
  r->batch = (long)((double)n * (budget / 20) / t);
  if (r->batch < 1) r->batch = 1;
  return 0;
}

static void count_allocs(const bench_lib *lib, lib_run *r) {
  unsigned long c0 = bench_alloc_calls;
  unsigned long long b0 = bench_alloc_bytes;
  if (lib->run(r->state, r->why, sizeof r->why) != 0) {
    r->ok = 0;
    return;
  }
  r->alloc_calls = (double)(bench_alloc_calls - c0);
  r->alloc_kib = (double)(bench_alloc_bytes - b0) / 1024.0;
}

/* What freeing all client sessions, then all server sessions, gives back,
 * per session: the heap an established, idle session holds (its contexts
 * stay). After the timed runs, so every session has carried traffic. */
static void measure_idle(const bench_case *c, const bench_lib *lib,
                         lib_run *r) {
  long long before = bench_alloc_live;
  lib->free_side(r->state, 0);
  long long mid = bench_alloc_live;
  lib->free_side(r->state, 1);
  r->idle_cli = (double)(before - mid) / c->sessions;
  r->idle_srv = (double)(mid - bench_alloc_live) / c->sessions;
}

static void fmt_rate(char *buf, size_t len, const lib_run *r, int reps) {
  if (!r->ok) {
    snprintf(buf, len, "n/a");
    return;
  }
  double m = median(r->rate, reps);
  snprintf(buf, len, m >= 100 ? "%.0f" : "%.1f", m);
}

static void fmt_ratio(char *buf, size_t len, const lib_run *a, const lib_run *b,
                      int reps) {
  if (!a->ok || !b->ok) {
    snprintf(buf, len, "n/a");
    return;
  }
  double q[MAX_REPS], lo, hi;
  for (int i = 0; i < reps; i++) q[i] = a->rate[i] / b->rate[i];
  min_max(q, reps, &lo, &hi);
  snprintf(buf, len, "%.2f (%.2f-%.2f)", median(q, reps), lo, hi);
}

static void print_row(const char *label, const char *unit, char cells[][48]) {
  printf("%-44s %-13s %10s %10s %10s  %-18s %-18s\n", label, unit, cells[0],
         cells[1], cells[2], cells[3], cells[4]);
}

/* One row of per-library figures that do not vary between runs (no
 * ratio spread): allocation counts, held bytes, with that many decimals.
 * ratio: print the
 * tlswrap/other quotient in the ratio columns. */
static void print_fixed(const char *label, const char *unit, const lib_run *r,
                        const double *v, int decimals, int ratio) {
  char cells[5][48];
  for (int li = 0; li < NLIBS; li++) {
    if (r[li].ok) {
      snprintf(cells[li], sizeof cells[li], "%.*f", decimals, v[li]);
    } else {
      snprintf(cells[li], sizeof cells[li], "n/a");
    }
  }
  for (int k = 0; k < 2; k++) {
    const lib_run *b = &r[k + 1];
    cells[3 + k][0] = '\0';
    if (!ratio) continue;
    if (r[0].ok && b->ok && v[k + 1] > 0) {
      snprintf(cells[3 + k], sizeof cells[3 + k], "%.2f", v[0] / v[k + 1]);
    } else {
      snprintf(cells[3 + k], sizeof cells[3 + k], "n/a");
    }
  }
  print_row(label, unit, cells);
}

/* The rows under a timed figure: allocations of one run, and for echo
 * with several sessions the heap each idle session holds. */
static void print_extra(const bench_case *c, const lib_run *r) {
  double v[NLIBS];
  if (c->kind == BENCH_HANDSHAKE) {
    for (int li = 0; li < NLIBS; li++) v[li] = r[li].alloc_calls;
    print_fixed("  allocations per handshake", "calls", r, v, 0, 1);
    for (int li = 0; li < NLIBS; li++) v[li] = r[li].alloc_kib;
    print_fixed("  bytes allocated per handshake", "KiB", r, v, 0, 0);
    return;
  }
  double per = c->kind == BENCH_ECHO ? c->sessions : 1;
  for (int li = 0; li < NLIBS; li++) v[li] = r[li].alloc_calls / per;
  print_fixed(c->kind == BENCH_ECHO ? "  allocations per round trip"
                                    : "  allocations per 16 KiB transfer",
              "calls", r, v, 2, 1);
  if (c->kind != BENCH_ECHO || c->sessions < 2) return;
  for (int li = 0; li < NLIBS; li++) v[li] = r[li].idle_cli / 1024.0;
  print_fixed("  heap held per idle session, client", "KiB", r, v, 1, 1);
  for (int li = 0; li < NLIBS; li++) v[li] = r[li].idle_srv / 1024.0;
  print_fixed("  heap held per idle session, server", "KiB", r, v, 1, 1);
}

static int make_certs(bench_certs *certs, const char *dir, char *tmp,
                      size_t tmp_len) {
  tmp[0] = '\0';
  if (dir == NULL) {
    const char *base = getenv("TMPDIR");
    snprintf(tmp, tmp_len, "%s/tlsw-bench-XXXXXX", base ? base : "/tmp");
    if (mkdtemp(tmp) == NULL) {
      perror("mkdtemp");
      return -1;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "sh '%s' '%s/certs'", TLSW_BENCH_GEN_CERTS, tmp);
    if (system(cmd) != 0) {
      fprintf(stderr, "tlsw_bench: %s failed (is openssl installed?)\n", cmd);
      return -1;
    }
  }
  /* Paths cut to fit (precision, so gcc sees no truncation either): a
   * longer directory then fails the access() check below. */
  char d[480];
  snprintf(d, sizeof d, "%.400s%s", dir ? dir : tmp, dir ? "" : "/certs");
  snprintf(certs->ca, sizeof certs->ca, "%s/ca.pem", d);
  snprintf(certs->ec_cert, sizeof certs->ec_cert, "%s/server-ec.pem", d);
  snprintf(certs->ec_key, sizeof certs->ec_key, "%s/server-ec.key", d);
  snprintf(certs->rsa_cert, sizeof certs->rsa_cert, "%s/server-rsa.pem", d);
  snprintf(certs->rsa_key, sizeof certs->rsa_key, "%s/server-rsa.key", d);
  return access(certs->ca, R_OK) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  int reps = 9;
  double budget = 0.3;
  const char *only = NULL, *certdir = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) {
      reps = 3;
      budget = 0.1;
    } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
      reps = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc) {
      budget = atof(argv[++i]);
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
    } else if (strcmp(argv[i], "--certs") == 0 && i + 1 < argc) {
      certdir = argv[++i];
    } else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
      fixed_count = atol(argv[++i]);
    } else {
      fprintf(stderr,
              "usage: %s [--quick] [--reps N] [--time SECONDS] [--only TEXT] "
              "[--certs DIR] [--count N]\n",
              argv[0]);
      return 2;
    }
  }
  if (reps < 1) reps = 1;
  if (reps > MAX_REPS) reps = MAX_REPS;
  if (budget <= 0) budget = 0.1;

  /* The counting allocators first: OpenSSL refuses them once it has
   * allocated, tlswrap once it is initialised. */
  if (bench_openssl_init() != 0 || bench_tlswrap_init() != 0) {
    fprintf(stderr, "tlsw_bench: cannot install the counting allocators\n");
    return 1;
  }
  bench_certs certs;
  char tmp[512];
  if (make_certs(&certs, certdir, tmp, sizeof tmp) != 0) {
    fprintf(stderr, "tlsw_bench: no certificates\n");
    return 1;
  }

  printf("tlsw_bench: %s; wolfSSL build %s (%s); %s\n", tlsw_version_string(),
         TLSW_BENCH_WOLFSSL_BUILD, bench_wolfssl_version(),
         bench_openssl_version());
  printf(
      "thread CPU time; %d repetitions of %.2f s per library and figure, "
      "order rotated; ratios: median (min-max) of per-repetition ratios\n\n",
      reps, budget);
  char head[5][48] = {"tlswrap", "wolfSSL", "OpenSSL", "tlsw/wolfSSL",
                      "tlsw/OpenSSL"};
  print_row("figure", "unit", head);

  static lib_run runs[NCASES][NLIBS];
  int failed = 0;
  for (size_t ci = 0; ci < NCASES; ci++) {
    const bench_case *c = &cases[ci];
    if (only != NULL && strstr(c->label, only) == NULL) continue;
    lib_run *r = runs[ci];
    for (int li = 0; li < NLIBS; li++) {
      r[li].ok = libs[li]->setup(&r[li].state, c, &certs, r[li].why,
                                 sizeof r[li].why) == 0;
      if (r[li].ok && warm_up(libs[li], &r[li], budget) != 0) r[li].ok = 0;
    }
    for (int rep = 0; rep < reps; rep++) {
      for (int k = 0; k < NLIBS; k++) {
        int li = (rep + k) % NLIBS;
        if (!r[li].ok) continue;
        r[li].rate[rep] = measure(c, libs[li], &r[li], budget);
        if (r[li].rate[rep] < 0) r[li].ok = 0;
      }
    }
    for (int li = 0; li < NLIBS; li++) {
      if (r[li].ok) count_allocs(libs[li], &r[li]);
      if (r[li].ok) libs[li]->describe(r[li].state, r[li].desc, 160);
      if (r[li].ok && c->kind == BENCH_ECHO && c->sessions > 1)
        measure_idle(c, libs[li], &r[li]);
      libs[li]->teardown(r[li].state);
      r[li].state = NULL;
    }
    char cells[5][48];
    for (int li = 0; li < NLIBS; li++)
      fmt_rate(cells[li], sizeof cells[li], &r[li], reps);
    fmt_ratio(cells[3], sizeof cells[3], &r[0], &r[1], reps);
    fmt_ratio(cells[4], sizeof cells[4], &r[0], &r[2], reps);
    print_row(c->label, unit_name(c), cells);
    print_extra(c, r);
    fflush(stdout);
  }

  printf("\nnegotiated (client's view) and figures not measured:\n");
  for (size_t ci = 0; ci < NCASES; ci++) {
    if (only != NULL && strstr(cases[ci].label, only) == NULL) continue;
    printf("  %s\n", cases[ci].label);
    for (int li = 0; li < NLIBS; li++) {
      const lib_run *r = &runs[ci][li];
      printf("    %-8s %s\n", libs[li]->name, r->ok ? r->desc : r->why);
      if (!r->ok && !strstr(r->why, "not measurable")) failed = 1;
    }
  }
  if (tmp[0] != '\0') {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
      fprintf(stderr, "tlsw_bench: cannot remove %s\n", tmp);
  }
  tlsw_thread_cleanup();
  return failed;
}
