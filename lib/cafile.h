/* cafile.h — WN_CA_FILE means one thing everywhere: CA certificates
 * trusted in addition to the system store (a private CA for a self-hosted
 * map, or the tests' local CA), never in place of it.  tls.c loads it
 * after the default paths; libcurl gets it here, added to the store of
 * each TLS context, because CURLOPT_CAINFO would replace the system
 * bundle (whether the system CA directory still applies depends on how
 * libcurl was built). */
#ifndef WN_CAFILE_H
#define WN_CAFILE_H

#include <curl/curl.h>

/* cafile.c */
/* Set the options on k so WN_CA_FILE (if set) is trusted too. */
void cafile_curl(CURL *k);

#endif
