#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cfg_text.h"
#include "relnas_check.h"

void relnas_cfg_clean_line(char *line)
{
    char *out = line;
    for (char *in = line; *in && *in != '#'; ++in)
        if (*in != '\r') *out++ = *in;
    if (out == line && *line == '#') return; /* a whole-line comment stays one */
    *out = '\0';
}

/* Darknet's strip(): removes every space, tab and newline. */
static void strip_blanks(char *s)
{
    char *out = s;
    for (char *in = s; *in; ++in)
        if (*in != ' ' && *in != '\t' && *in != '\n') *out++ = *in;
    *out = '\0';
}

static void *grow(void *items, int *cap, int n, size_t size)
{
    if (n < *cap) return items;
    *cap = *cap ? 2 * *cap : 16;
    return RELNAS_REALLOC(items, (size_t)*cap, size);
}

static int stop(relnas_cfg_text *t, int line, const char *fmt, const char *found)
{
    t->bad_line = line;
    snprintf(t->bad, sizeof(t->bad), fmt, found);
    return -1;
}

static int add_section(relnas_cfg_text *t, const char *header, int line)
{
    t->sections = grow(t->sections, &t->cap, t->n, sizeof(*t->sections));
    relnas_cfg_section *s = &t->sections[t->n++];
    memset(s, 0, sizeof(*s));
    s->type = RELNAS_STRDUP(header);
    s->line = line;
    return 0;
}

static int add_entry(relnas_cfg_text *t, char *kv, int line)
{
    char *eq = strchr(kv, '=');
    if (eq) snprintf(t->bad_key, sizeof(t->bad_key), "%.*s", (int)(eq - kv), kv);
    if (t->n == 0)
        return stop(t, line, "expected a section header such as [net] before the first key, found '%.60s'", kv);
    if (!eq) return stop(t, line, "expected key=value or a [section] header, found '%.60s'", kv);
    *eq = '\0';
    if (!kv[0]) return stop(t, line, "expected a key before '=', found '=%.60s'", eq + 1);
    if (!eq[1]) return stop(t, line, "expected a value after '%.60s=', found nothing", kv);
    t->bad_key[0] = '\0';
    relnas_cfg_section *s = &t->sections[t->n - 1];
    s->entries = grow(s->entries, &s->cap, s->n, sizeof(*s->entries));
    relnas_cfg_entry *e = &s->entries[s->n++];
    e->key = RELNAS_STRDUP(kv);
    e->value = RELNAS_STRDUP(eq + 1);
    e->line = line;
    e->used = 0;
    return 0;
}

/* A byte no text cfg holds (random or binary data): the first one found, or -1. */
static int binary_byte(const char *line, size_t len)
{
    for (size_t i = 0; i < len; ++i) {
        unsigned char b = (unsigned char)line[i];
        if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v') || b == 0x7f)
            return b;
    }
    return -1;
}

/* The first line holding a byte no text cfg holds, anywhere in the file (so that binary data
 * is named as such whatever its first line looks like): 0 if none. */
static int first_binary_line(FILE *fp, char **line, size_t *cap, int *byte)
{
    ssize_t len;
    for (int number = 1; (len = getline(line, cap, fp)) >= 0; ++number)
        if ((*byte = binary_byte(*line, (size_t)len)) >= 0) return number;
    return 0;
}

static int read_line(relnas_cfg_text *t, char *line, int number)
{
    strip_blanks(line);
    relnas_cfg_clean_line(line);
    if (line[0] == '\0' || line[0] == '#' || line[0] == ';') return 0;
    if (line[0] == '[') return add_section(t, line, number);
    return add_entry(t, line, number);
}

int relnas_cfg_text_read(const char *path, relnas_cfg_text *t)
{
    memset(t, 0, sizeof(*t));
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    struct stat sb;
    if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) return fclose(fp), errno = EISDIR, -1; /* fopen takes one */
    char *line = NULL;
    size_t cap = 0;
    int byte, binary = first_binary_line(fp, &line, &cap, &byte);
    if (binary) {
        char found[32];
        snprintf(found, sizeof(found), "byte 0x%02x", byte);
        t->lines = binary;
        stop(t, binary, "expected a text cfg file, found %s (binary data?)", found);
    } else {
        rewind(fp);
        while (getline(&line, &cap, fp) >= 0)
            if (read_line(t, line, ++t->lines)) break;
    }
    free(line);
    int failed = ferror(fp);
    fclose(fp);
    if (failed) {
        relnas_cfg_text_free(t);
        errno = EIO;
        return -1;
    }
    return 0;
}

void relnas_cfg_text_free(relnas_cfg_text *t)
{
    for (int i = 0; i < t->n; ++i) {
        relnas_cfg_section *s = &t->sections[i];
        for (int j = 0; j < s->n; ++j) {
            free(s->entries[j].key);
            free(s->entries[j].value);
        }
        free(s->entries);
        free(s->type);
    }
    free(t->sections);
    memset(t, 0, sizeof(*t));
}
