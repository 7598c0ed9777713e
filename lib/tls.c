/* tls.c — non-blocking TCP connect and OpenSSL client with verification.
 * The socket and the TLS engine are driven by the caller's poll loop:
 * nothing here waits. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

struct tls {
	int fd;
	int connected;           /* TCP connect finished */
	struct addrinfo *ai, *cur;
	SSL_CTX *ctx;
	SSL *ssl;                /* NULL for plain TCP */
	char host[256];
	enum tls_want want;
	char err[160];
};

static void
ssl_reason(char *buf, size_t size, const char *what)
{
	unsigned long e = ERR_get_error();
	char tmp[120];

	if (e) {
		ERR_error_string_n(e, tmp, sizeof tmp);
		snprintf(buf, size, "%s: %s", what, tmp);
	} else
		snprintf(buf, size, "%s: %s", what, errno ? strerror(errno) : "connection closed");
	ERR_clear_error();
}

/* Start a connect on the current address; 0 started or done, -1 failed. */
static int
start_connect(struct tls *t)
{
	for (; t->cur; t->cur = t->cur->ai_next) {
		int one = 1;

		if (t->fd >= 0)
			close(t->fd);
		t->fd = socket(t->cur->ai_family, t->cur->ai_socktype | SOCK_CLOEXEC,
		               t->cur->ai_protocol);
		if (t->fd < 0)
			continue;
		fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
		setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(t->fd, t->cur->ai_addr, t->cur->ai_addrlen) == 0) {
			t->connected = 1;
			return 0;
		}
		if (errno == EINPROGRESS) {
			t->want = TLS_WANT_WRITE;
			return 0;
		}
		snprintf(t->err, sizeof t->err, "connect: %s", strerror(errno));
	}
	return -1;
}

static int
setup_ssl(struct tls *t, char *err, size_t errlen)
{
	const char *ca = getenv("WN_CA_FILE");
	struct in_addr a4;
	struct in6_addr a6;
	X509_VERIFY_PARAM *vp;

	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx) {
		ssl_reason(err, errlen, "tls");
		return -1;
	}
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	/* wslay may retry a write from a moved buffer. */
	SSL_CTX_set_mode(t->ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
	                         SSL_MODE_ENABLE_PARTIAL_WRITE);
	if (SSL_CTX_set_default_verify_paths(t->ctx) != 1 ||
	    (ca && *ca && SSL_CTX_load_verify_locations(t->ctx, ca, NULL) != 1)) {
		ssl_reason(err, errlen, "tls: CA certificates");
		return -1;
	}
	t->ssl = SSL_new(t->ctx);
	if (!t->ssl)
		return ssl_reason(err, errlen, "tls"), -1;
	vp = SSL_get0_param(t->ssl);
	/* An IP literal is checked against IP SANs; a name gets SNI too. */
	if (inet_pton(AF_INET, t->host, &a4) == 1 || inet_pton(AF_INET6, t->host, &a6) == 1) {
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, t->host) != 1)
			return ssl_reason(err, errlen, "tls: host"), -1;
	} else {
		X509_VERIFY_PARAM_set_hostflags(vp, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
		if (X509_VERIFY_PARAM_set1_host(vp, t->host, 0) != 1 ||
		    SSL_set_tlsext_host_name(t->ssl, t->host) != 1)
			return ssl_reason(err, errlen, "tls: host"), -1;
	}
	return 0;
}

struct tls *
tls_open(const char *host, const char *port, int use_tls, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct tls *t = calloc(1, sizeof *t);
	int rc;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->fd = -1;
	snprintf(t->host, sizeof t->host, "%s", host);
	if ((rc = getaddrinfo(host, port, &hints, &t->ai)) != 0) {
		snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(rc));
		free(t);
		return NULL;
	}
	t->cur = t->ai;
	if ((use_tls && setup_ssl(t, err, errlen) < 0) || start_connect(t) < 0) {
		if (!use_tls || t->ssl)
			snprintf(err, errlen, "%s", t->err);
		tls_close(t);
		return NULL;
	}
	return t;
}

void
tls_close(struct tls *t)
{
	if (!t)
		return;
	if (t->ssl)
		SSL_free(t->ssl);
	if (t->ctx)
		SSL_CTX_free(t->ctx);
	if (t->fd >= 0)
		close(t->fd);
	if (t->ai)
		freeaddrinfo(t->ai);
	free(t);
}

int tls_fd(const struct tls *t) { return t->fd; }
enum tls_want tls_want(const struct tls *t) { return t->want; }
const char *tls_error(const struct tls *t) { return t->err; }
size_t tls_pending(const struct tls *t) { return t->ssl ? (size_t)SSL_pending(t->ssl) : 0; }

static int
finish_connect(struct tls *t, char *err, size_t errlen)
{
	int soerr = 0;
	socklen_t sl = sizeof soerr;

	if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		soerr = errno;
	if (soerr == 0) {
		t->connected = 1;
		return 1;
	}
	if (soerr == EINPROGRESS || soerr == EALREADY)
		return 0;
	snprintf(t->err, sizeof t->err, "connect: %s", strerror(soerr));
	t->cur = t->cur->ai_next;
	if (start_connect(t) < 0) {
		snprintf(err, errlen, "%s", t->err);
		return -1;
	}
	return t->connected;
}

/* Map an SSL result to want/errno; returns -1 always. */
static int
ssl_fail(struct tls *t, int rc, const char *what)
{
	switch (SSL_get_error(t->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		t->want = TLS_WANT_READ;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		t->want = TLS_WANT_WRITE;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		errno = 0;
		return 0;
	default:
		ssl_reason(t->err, sizeof t->err, what);
		errno = EIO;
		return -1;
	}
}

int
tls_handshake(struct tls *t, char *err, size_t errlen)
{
	int rc;
	long v;

	if (!t->connected && (rc = finish_connect(t, err, errlen)) <= 0)
		return rc;
	if (!t->ssl)
		return 1;
	SSL_set_fd(t->ssl, t->fd);
	if ((rc = SSL_connect(t->ssl)) == 1)
		return t->want = TLS_WANT_NONE, 1;
	if (ssl_fail(t, rc, "tls handshake") < 0 && errno == EAGAIN)
		return 0;
	v = SSL_get_verify_result(t->ssl);
	if (v != X509_V_OK)
		snprintf(err, errlen, "tls: certificate verify failed for %s: %s",
		         t->host, X509_verify_cert_error_string(v));
	else
		snprintf(err, errlen, "%s", t->err);
	return -1;
}

ssize_t
tls_read(struct tls *t, void *buf, size_t len)
{
	ssize_t n;
	int rc;

	t->want = TLS_WANT_NONE;
	if (!t->ssl) {
		n = read(t->fd, buf, len);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			t->want = TLS_WANT_READ;
		else if (n < 0)
			snprintf(t->err, sizeof t->err, "read: %s", strerror(errno));
		return n;
	}
	rc = SSL_read(t->ssl, buf, (int)(len > 1 << 30 ? 1 << 30 : len));
	return rc > 0 ? rc : ssl_fail(t, rc, "tls read");
}

ssize_t
tls_write(struct tls *t, const void *buf, size_t len)
{
	ssize_t n;
	int rc;

	t->want = TLS_WANT_NONE;
	if (!t->ssl) {
		n = send(t->fd, buf, len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			t->want = TLS_WANT_WRITE;
		else if (n < 0)
			snprintf(t->err, sizeof t->err, "write: %s", strerror(errno));
		return n;
	}
	rc = SSL_write(t->ssl, buf, (int)(len > 1 << 30 ? 1 << 30 : len));
	if (rc > 0)
		return rc;
	rc = ssl_fail(t, rc, "tls write");
	return rc == 0 ? (errno = EPIPE, -1) : rc;
}
