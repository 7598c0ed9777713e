/* cafile.c — WN_CA_FILE added to libcurl's trust store (see cafile.h). */
#include <stdlib.h>

#include <openssl/ssl.h>

#include "cafile.h"

/* libcurl (OpenSSL backend) calls this with the SSL_CTX it has set up,
 * the system bundle already loaded: the extra CAs join it. */
static CURLcode
add_ca(CURL *k, void *sslctx, void *ca)
{
	(void)k;
	return SSL_CTX_load_verify_locations(sslctx, ca, NULL) == 1 ? CURLE_OK
	                                                           : CURLE_SSL_CACERT_BADFILE;
}

void
cafile_curl(CURL *k)
{
	const char *ca = getenv("WN_CA_FILE");

	if (!ca || !*ca)
		return;
	curl_easy_setopt(k, CURLOPT_SSL_CTX_FUNCTION, add_ca);
	curl_easy_setopt(k, CURLOPT_SSL_CTX_DATA, (void *)ca);
}
