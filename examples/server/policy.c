/*
 * tlsw-server's admission policy: a new connection is always let in.
 * When its address already holds --max-per-addr connections, one of that
 * address's own connections makes room; when all --max-clients slots are
 * taken, one of anybody's does. The one dropped is, in this order:
 *   1. one already closing or lingering (it is going away anyway);
 *   2. the oldest still in its handshake (a silent or slow client has
 *      produced nothing worth keeping, and a real client finishes its
 *      handshake in milliseconds, long before it becomes the oldest);
 *   3. the one idle the longest (it has waited; the newcomer has not).
 * So a crowd of silent connections, or of finished handshakes that then
 * sit, cannot lock a legitimate client out: before this policy, 1,000
 * silent connections kept a client waiting 19 s, and 256 idle ones locked
 * everyone out for --idle (issue #13). The cap per address keeps one
 * address from pushing everybody else's connections out.
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "common/cli.h"
#include "server.h"

void srv_addr_key(const struct sockaddr *sa, addr_key *k) {
  static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};
  memset(k, 0, sizeof *k);
  if (sa->sa_family == AF_INET) {
    memcpy(k->b, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
    k->len = 4;
  } else if (sa->sa_family == AF_INET6) {
    const unsigned char *a =
        ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr.s6_addr;
    /* --bind :: also takes IPv4 clients, as ::ffff:a.b.c.d. */
    int mapped = memcmp(a, v4mapped, sizeof v4mapped) == 0;
    k->len = mapped ? 4 : 8;
    memcpy(k->b, mapped ? a + 12 : a, k->len);
  }
}

static int same_addr(const addr_key *a, const addr_key *b) {
  return a->len != 0 && a->len == b->len && memcmp(a->b, b->b, a->len) == 0;
}

/* Lower ranks go first; within a rank, the earliest *since. */
static int victim_rank(const conn *c, long long *since) {
  switch (c->state) {
    case C_CLOSING:
    case C_LINGER: *since = c->state_ms; return 0;
    case C_HANDSHAKE: *since = c->start_ms; return 1;
    default: *since = c->last_ms; return 2;
  }
}

/* The connection to drop among the live ones of address k (NULL: all). */
static conn *pick_victim(server *sv, const addr_key *k) {
  conn *best = NULL;
  int best_rank = 0;
  long long best_since = 0;
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    if (c->state == C_DONE || (k != NULL && !same_addr(&c->key, k))) continue;
    long long since;
    int rank = victim_rank(c, &since);
    if (best == NULL || rank < best_rank ||
        (rank == best_rank && since < best_since)) {
      best = c;
      best_rank = rank;
      best_since = since;
    }
  }
  return best;
}

static void evict(server *sv, conn *c, const char *why, long long now) {
  static const char *const what[] = {"closing", "oldest handshake",
                                     "longest idle"};
  long long since;
  int rank = victim_rank(c, &since);
  /* One polite attempt (close_notify), never a wait: the slot is needed
   * now. */
  if (c->state == C_DATA) tlsw_shutdown(c->s);
  srv_set_outcome(c, "closed: evicted (%s, %.1fs) to make room: %s", what[rank],
                  (double)(now - since) / 1000.0, why);
  c->state = C_DONE;
  sv->evicted++;
}

void srv_make_room(server *sv, const addr_key *k, long long now) {
  size_t live = 0, mine = 0;
  for (size_t i = 0; i < sv->nconns; i++) {
    const conn *c = sv->conns[i];
    if (c->state == C_DONE) continue;
    live++;
    if (same_addr(&c->key, k)) mine++;
  }
  if (sv->max_per_addr > 0 && k->len != 0 && mine >= (size_t)sv->max_per_addr) {
    conn *v = pick_victim(sv, k);
    if (v != NULL) {
      evict(sv, v, "--max-per-addr reached for this address", now);
      live--;
    }
  }
  if (live >= (size_t)sv->max_clients) {
    conn *v = pick_victim(sv, NULL);
    if (v != NULL) evict(sv, v, "all --max-clients slots taken", now);
  }
}
