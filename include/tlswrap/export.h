/**
 * @file
 * @brief How the public headers declare the API: TLSW_API on every
 * exported function, TLSW_BEGIN_DECLS / TLSW_END_DECLS around each header's
 * declarations (C linkage for C++), TLSW_DEPRECATED on an old name.
 *
 * Included by every other public header; a program need not include it.
 */
#ifndef TLSWRAP_EXPORT_H
#define TLSWRAP_EXPORT_H

/**
 * @brief Marks a function of the public API.
 *
 * The library is built with hidden visibility (-fvisibility=hidden), so
 * only what carries this is exported from libtlswrap.so; to a program
 * using the headers it is empty.
 */
#if defined(TLSW_BUILDING) && defined(__GNUC__)
#define TLSW_API __attribute__((visibility("default")))
#else
#define TLSW_API
#endif

/**
 * @brief An old name kept (and still exported) so that existing code and
 * binaries keep working; its documentation names the replacement. Define
 * TLSW_DEPRECATION_WARNINGS before including the headers to have the
 * compiler flag each use; off by default, so that code built with -Werror
 * keeps building through 0.x.
 */
#if defined(__GNUC__) && !defined(TLSW_BUILDING) && \
    defined(TLSW_DEPRECATION_WARNINGS)
#define TLSW_DEPRECATED __attribute__((deprecated))
#else
#define TLSW_DEPRECATED
#endif

/* The documented branch is C's (the one doxygen reads). */
#ifndef __cplusplus
/** @brief Opens a header's declarations: empty in C, `extern "C" {` in
 * C++. */
#define TLSW_BEGIN_DECLS
/** @brief Closes what TLSW_BEGIN_DECLS opened. */
#define TLSW_END_DECLS
#else
#define TLSW_BEGIN_DECLS extern "C" {
#define TLSW_END_DECLS }
#endif

#endif
