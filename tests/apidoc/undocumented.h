/**
 * @file
 * @brief Fixture of the apidoc self-tests: declarations whose comments
 * doxygen and check_headers.py must both refuse. Never installed, never
 * compiled. (Doxygen checks the members of a documented file only, hence
 * this comment; check_headers.py refuses a header without it.)
 */
#ifndef TLSW_APIDOC_UNDOCUMENTED_H
#define TLSW_APIDOC_UNDOCUMENTED_H

#include <stddef.h>

/* A plain comment is not a doc comment. Errors: TLSW_ERR_ARG. */
int tlsw_fixture_plain(void *p, size_t n);

/** @brief A doc comment with no errors line.
 *  @param p Anything.
 *  @return A status. */
int tlsw_fixture_no_errors(void *p);

/** @brief A doc comment that misses a parameter.
 *  @param a The first.
 *  @return A status.
 *  Errors: none. */
int tlsw_fixture_missing_param(int a, int b);

/** @brief A function-pointer parameter, undocumented.
 *  Errors: none. */
void tlsw_fixture_fnptr(void *(*alloc_fn)(size_t));

/** @brief A value, but no @return.
 *  @param x Anything.
 *  Errors: none. */
int tlsw_fixture_no_return(int x);

#endif
