/* tls.h — one byte stream over a non-blocking socket, plain or TLS
 * (OpenSSL).  Certificates and the host name are always verified; SNI is
 * sent; WN_CA_FILE names an extra CA bundle (tests with a local CA).
 * Every call returns at once: a would-block is reported through
 * tls_want() so the caller's poll loop knows which event to wait for. */
#ifndef WN_TLS_H
#define WN_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct tls;

enum tls_want { TLS_WANT_NONE = 0, TLS_WANT_READ = 1, TLS_WANT_WRITE = 2 };

/* tls.c */
/* Start a TCP connect to host:port (numeric or name; resolution blocks).
 * use_tls selects TLS.  NULL with a reason in err on failure. */
struct tls *tls_open(const char *host, const char *port, int use_tls,
                     char *err, size_t errlen);
void tls_close(struct tls *t);
int tls_fd(const struct tls *t);
/* Drive connect + handshake: 1 done, 0 in progress (see tls_want),
 * -1 failed with a reason in err (certificate errors named). */
int tls_handshake(struct tls *t, char *err, size_t errlen);
/* read/write: bytes moved, 0 on EOF (read), -1 with errno EAGAIN (see
 * tls_want) or another error. */
ssize_t tls_read(struct tls *t, void *buf, size_t len);
ssize_t tls_write(struct tls *t, const void *buf, size_t len);
/* What the last would-block call waits for. */
enum tls_want tls_want(const struct tls *t);
/* Bytes OpenSSL holds decrypted but unread (poll cannot see them). */
size_t tls_pending(const struct tls *t);
/* Last error text for a failed read/write. */
const char *tls_error(const struct tls *t);

#endif
