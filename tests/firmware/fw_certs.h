/* The test PKI as C arrays (generated at build time: embed-certs.cmake). */
#ifndef TLSW_FW_CERTS_H
#define TLSW_FW_CERTS_H

#include <stddef.h>

extern const unsigned char fw_ca_pem[], fw_server_pem[], fw_server_key[];
extern const size_t fw_ca_pem_len, fw_server_pem_len, fw_server_key_len;
/* A Unix time inside every test certificate's validity. */
extern const long long fw_cert_time;
#define FW_CERT_TIME ((int64_t)fw_cert_time)

#endif
