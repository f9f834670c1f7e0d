#ifndef TLSW_CORE_FILE_H
#define TLSW_CORE_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "support/message.h"

/* Files larger than this are refused rather than read: no certificate
 * bundle comes near it, and a device must not be made to allocate more. */
#define TLSW_FILE_MAX (8u * 1024u * 1024u)

/* Read a whole file into a new buffer (*data, freed by the caller with
 * free()). On failure fills e with TLSW_ERR_FILE / TLSW_ERR_NOMEM and a
 * message naming the path and errno. */
int tlswi_read_file(const char *path, uint8_t **data, size_t *len, tlsw_err *e);

#endif
