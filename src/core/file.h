#ifndef TLSW_CORE_FILE_H
#define TLSW_CORE_FILE_H

/* Whole-file reads moved to the platform layer (src/platform/): files are a
 * service of the system, absent on TLSW_PLATFORM=none. */
#include "platform/platform.h"

#endif
