#include "http/static.h"
#include "util/xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext, *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".pdf", "application/pdf"},
    {".webmanifest", "application/manifest+json"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return "application/octet-stream";
    for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
        if (strcasecmp(dot, mime[i].ext) == 0)
            return mime[i].type;
    return "application/octet-stream";
}

/* Refuse anything that could name a file outside the root: "..", ".", empty
 * segments, backslashes, NUL, and hidden files (".git", ".env"). */
static bool safe_path(const char *p)
{
    if (p[0] != '/')
        return false;
    const char *seg = p + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 && end)
            return false;
        if (n > 0 && seg[0] == '.')
            return false;
        if (memchr(seg, '\\', n))
            return false;
        if (!end)
            break;
        seg = end + 1;
    }
    return strlen(p) < 1024;
}

static bool has_extension(const char *p)
{
    const char *slash = strrchr(p, '/');
    const char *dot = strrchr(p, '.');
    return dot && (!slash || dot > slash);
}

static struct MHD_Response *file_response(http_req *r, const char *file, const char *urlpath,
                                          int *status)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
             (unsigned long long)st.st_size);
    const char *inm = http_header_in(r, "If-None-Match");
    struct MHD_Response *resp;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        *status = 304;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        MHD_add_response_header(resp, "Content-Type", mime_of(file));
        *status = 200;
    }
    MHD_add_response_header(resp, "ETag", etag);
    /* Vite puts content-hashed names under /assets/: cache those for a year; anything
     * else (index.html above all) must be revalidated so a new release shows at once. */
    if (strncmp(urlpath, "/assets/", 8) == 0)
        MHD_add_response_header(resp, "Cache-Control", "public, max-age=31536000, immutable");
    else
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
    return resp;
}

int static_serve(http_req *r, const char *root, struct MHD_Response **out)
{
    *out = NULL;
    const char *p = r->path;
    if (strstr(p, "..") || !safe_path(p))
        return http_fail(r, 400, "bad_path", NULL, "非法路径"), 400;
    if (strcmp(p, "/") == 0)
        p = "/index.html";
    int status = 200;
    char *file = arena_printf(&r->a, "%s%s", root, p);
    *out = file_response(r, file, p, &status);
    if (*out)
        return status;
    if (has_extension(p) && strcmp(p, "/index.html") != 0) {
        http_fail(r, 404, "not_found", NULL, "文件不存在：%s", p);
        return 404;
    }
    /* SPA fallback: client-side routes (/orgs, /cases/12) get the app shell. */
    file = arena_printf(&r->a, "%s/index.html", root);
    *out = file_response(r, file, "/index.html", &status);
    if (*out)
        return status;
    http_fail(r, 404, "not_found", NULL, "网页界面尚未构建（缺少 %s/index.html，请运行 make web）",
              root);
    return 404;
}
