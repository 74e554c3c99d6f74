/* log.h — one-line logs to stderr with level filtering. Thread-safe. By default
 * every line is one write(2); after log_buffer_start() lines below warn collect in a
 * bounded buffer written at most every 200 ms (or when full), so a busy server's
 * access log costs no system call per request. Warnings and errors always go out at
 * once, after whatever was buffered before them. */
#ifndef TJ_UTIL_LOG_H
#define TJ_UTIL_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Set the minimum level printed; parse "debug|info|warn|error" (-1 if unknown). */
void log_set_level(enum log_level lvl);
int log_parse_level(const char *s, enum log_level *out);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Start buffering debug and info lines (a background thread flushes them). */
void log_buffer_start(void);
/* Write out buffered lines now (call before exit). */
void log_flush(void);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
