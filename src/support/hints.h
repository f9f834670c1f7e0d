/* Compiler hints for the per-record path (issue #14): the code every read,
 * write and transport callback runs stays small when the rare outcomes
 * (blocked, failed, closed, a handshake still to finish) live in functions
 * of their own; inlined, they make the common case save and restore every
 * register they use. Beneath every layer: includes nothing. */
#ifndef TLSW_SUPPORT_HINTS_H
#define TLSW_SUPPORT_HINTS_H

#if defined(__GNUC__)
/* Never inlined: a path most calls do not take. */
#define TLSW_NOINLINE __attribute__((noinline))
/* Never inlined, and laid out away from the hot code: failures. */
#define TLSW_COLD __attribute__((noinline, cold))
#else
#define TLSW_NOINLINE
#define TLSW_COLD
#endif

#endif
