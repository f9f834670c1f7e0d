/*
 * tlsw-server's admission policy: a new connection is always let in.
 * When its address already holds --max-per-addr connections, one of that
 * address's own connections makes room; when all --max-clients slots are
 * taken, one of anybody's does. The one dropped is:
 *   1. one already closing or lingering (it is going away anyway); else
 *   2. while fewer than a quarter of the slots in question are handshakes
 *      (the handshake reserve), the one idle the longest: newcomers need
 *      room to finish their handshakes, and it has been served already;
 *   3. otherwise the oldest handshake: a silent or slow client has
 *      produced nothing worth keeping, and a real client finishes in
 *      milliseconds, long before it becomes the oldest;
 *   4. the longest idle one when there is no handshake at all.
 * So a crowd of silent connections, or of finished handshakes that then
 * sit, cannot lock a legitimate client out: before this policy, 1,000
 * silent connections kept a client waiting 19 s, and 256 idle ones locked
 * everyone out for --idle (issue #13). The reserve bounds both sides of
 * a flood of silent connections: it evicts at most a quarter of the
 * established connections, and a real client in its handshake survives a
 * quarter of the slots' worth of newer arrivals, not one (with no reserve,
 * a table of idle connections leaves a single handshake slot, and the
 * next silent arrival pushes the real client out of it). The cap per
 * address keeps one address's flood inside its own share of the table.
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

/* The oldest entry of each kind among the live connections of address k
 * (NULL: all). */
typedef struct candidates {
  conn *ending, *handshake, *idle;
  size_t handshakes, total;
} candidates;

static void find_candidates(server *sv, const addr_key *k, candidates *out) {
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < sv->nconns; i++) {
    conn *c = sv->conns[i];
    if (c->state == C_DONE || (k != NULL && !same_addr(&c->key, k))) continue;
    out->total++;
    if (c->state == C_CLOSING || c->state == C_LINGER) {
      if (out->ending == NULL || c->state_ms < out->ending->state_ms) {
        out->ending = c;
      }
    } else if (c->state == C_HANDSHAKE) {
      out->handshakes++;
      if (out->handshake == NULL || c->start_ms < out->handshake->start_ms) {
        out->handshake = c;
      }
    } else if (out->idle == NULL || c->last_ms < out->idle->last_ms) {
      out->idle = c;
    }
  }
}

/* The connection to drop among those of address k (NULL: all). */
static conn *pick_victim(server *sv, const addr_key *k) {
  candidates f;
  find_candidates(sv, k, &f);
  size_t reserve = f.total / 4 > 0 ? f.total / 4 : 1;
  if (f.ending != NULL) return f.ending;
  if (f.idle != NULL && (f.handshake == NULL || f.handshakes < reserve)) {
    return f.idle;
  }
  return f.handshake != NULL ? f.handshake : f.idle;
}

static void evict(server *sv, conn *c, const char *why, long long now) {
  const char *what = c->state == C_HANDSHAKE ? "oldest handshake"
                     : c->state == C_DATA    ? "longest idle"
                                             : "closing";
  long long since = c->state == C_HANDSHAKE ? c->start_ms
                    : c->state == C_DATA    ? c->last_ms
                                            : c->state_ms;
  /* One polite attempt (close_notify), never a wait: the slot is needed
   * now. */
  if (c->state == C_DATA) tlsw_shutdown(c->s);
  srv_set_outcome(c, "closed: evicted (%s, %.1fs) to make room: %s", what,
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
