/* Reading a whole file into a NUL-terminated buffer, for the libical_*.c programs. */
#ifndef CALFEED_READ_ALL_H
#define CALFEED_READ_ALL_H

#include <stdio.h>
#include <stdlib.h>

/* The contents of `path` followed by a NUL byte, or NULL if it cannot be read. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 20, len = 0, n;
    char *buf = malloc(cap);
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf != NULL)
        buf[len] = '\0';
    return buf;
}

#endif
