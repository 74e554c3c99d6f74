#include "http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *http_upload_filename(http_req *r)
{
    const char *s = http_header_in(r, "X-Filename");
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = arena_alloc(&r->a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            char *end;
            long v = strtol(hex, &end, 16);
            if (!*end) {
                *o++ = (char)v;
                i += 2;
                continue;
            }
        }
        *o++ = s[i];
    }
    *o = 0;
    return out;
}

void http_disposition(http_req *r, const char *kind, const char *fallback, const char *name)
{
    char enc[1200];
    size_t j = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && j + 4 < sizeof enc; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("-_.~", *p))
            enc[j++] = (char)*p;
        else
            j += (size_t)snprintf(enc + j, sizeof enc - j, "%%%02X", *p);
    }
    enc[j] = 0;
    http_header(
        r, "Content-Disposition",
        arena_printf(&r->a, "%s; filename=\"%s\"; filename*=UTF-8''%s", kind, fallback, enc));
}
