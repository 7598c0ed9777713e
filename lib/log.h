/* log.h — one line per event on stderr: "wn-NAME: level: message".
 * Every line goes through the redactor: registered secrets, Discord
 * webhook tokens and Authorization values never reach the log. */
#ifndef WN_LOG_H
#define WN_LOG_H

enum log_level { LOG_FATAL, LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* log.c */
void log_init(const char *prog);            /* level from WN_LOG_LEVEL */
const char *log_prog(void);
void log_set_level(enum log_level level);
void log_more_verbose(void);                /* each -v: one level up */
enum log_level log_get_level(void);
void log_add_secret(const char *secret);    /* redact this value everywhere */
void log_redact(char *buf, size_t size);    /* in place; for error strings */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void log_fatal(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
