/* server.h — the HTTP server on libmicrohttpd: a thread pool of epoll polling
 * threads runs quick handlers inline (each thread has its own database
 * connection); routes marked ROUTE_SLOW are suspended and finished on a worker
 * pool (rule 10). SIGTERM/SIGINT stop accepting, let in-flight requests finish
 * (up to 15 s) and then exit. */
#ifndef TJ_HTTP_SERVER_H
#define TJ_HTTP_SERVER_H
#include "app/config.h"

/* Serve until SIGTERM/SIGINT. Returns 0 after a clean shutdown, -1 if it could not
 * start (err filled). Blocks those signals in every thread it creates. */
int server_run(const config *cfg, tj_err *err);

#endif
