/* httpd_route.h — what `wn-status --serve` answers a request before any
 * status file is read: the route of method and path, or the refusal
 * (405, 401, 404).  Pure, so it can be tested and fuzzed without a
 * socket; httpd.c renders the route. */
#ifndef WN_HTTPD_ROUTE_H
#define WN_HTTPD_ROUTE_H

enum httpd_route { HR_NONE, HR_HEALTH, HR_READY, HR_METRICS, HR_STATUS, HR_DASHBOARD };

/* httpd_route.c */
/* 0 with *r set, or the HTTP status of the refusal: 405 for a method
 * other than GET and HEAD, 404 for an unknown path, 401 when the route
 * needs the token and authorization (the header's value, or NULL) does
 * not carry it.  *msg: the refusal's text. */
int httpd_route(const char *method, const char *url, const char *authorization,
    const char *token, enum httpd_route *r, const char **msg);

/* 1 when the route needs "Authorization: Bearer TOKEN" (given a token). */
int httpd_route_auth(enum httpd_route r);

#endif
