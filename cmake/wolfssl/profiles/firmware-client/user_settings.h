/*
 * wolfSSL profile "firmware-client": the firmware profile for a device that
 * is only ever a TLS client (the cortex-m4 preset's client image, issue
 * #11): TLS 1.3 + 1.2, P-256 + X25519, ChaCha20-Poly1305 + AES-GCM,
 * SHA-256/384 and certificate verification as in firmware/, without the
 * server side (NO_WOLFSSL_SERVER) and without DTLS. Every other line is
 * firmware/user_settings.h's, which this includes (build-user.sh puts the
 * profiles directory on the include path and installs the file beside
 * this one). What dropping each costs or saves: docs/firmware.md.
 */
#ifndef TLSW_FIRMWARE_CLIENT_USER_SETTINGS_H
#define TLSW_FIRMWARE_CLIENT_USER_SETTINGS_H

#define TLSW_FIRMWARE_CLIENT_ONLY
#include "firmware/user_settings.h"

#endif
