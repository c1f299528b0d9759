#include <errno.h>
#include <math.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "voc_annotation.h"
#include "relnas_check.h"
#include "relnas_error.h"

enum { FIELD_NONE, FIELD_WIDTH, FIELD_HEIGHT, FIELD_NAME, FIELD_DIFFICULT, FIELD_XMIN, FIELD_YMIN, FIELD_XMAX,
       FIELD_YMAX };

typedef struct reader {
    XML_Parser parser;
    relnas_voc_annotation *a;
    char path[8][32];       /* open elements (the first 8 levels) */
    int depth, field, have_size, have_box;
    char text[256];
    size_t text_len;
    char *err;
    size_t errlen;
    int failed;
} reader;

/* Whether the innermost two open elements are a, b (only the first 8 levels are kept). */
static int in(const reader *r, const char *a, const char *b)
{
    return r->depth >= 2 && r->depth <= 8 && strcmp(r->path[r->depth - 2], a) == 0 && strcmp(r->path[r->depth - 1], b) == 0;
}

static int field_of(const reader *r)
{
    if (in(r, "size", "width")) return FIELD_WIDTH;
    if (in(r, "size", "height")) return FIELD_HEIGHT;
    if (in(r, "object", "name")) return FIELD_NAME;
    if (in(r, "object", "difficult")) return FIELD_DIFFICULT;
    if (in(r, "bndbox", "xmin")) return FIELD_XMIN;
    if (in(r, "bndbox", "ymin")) return FIELD_YMIN;
    if (in(r, "bndbox", "xmax")) return FIELD_XMAX;
    if (in(r, "bndbox", "ymax")) return FIELD_YMAX;
    return FIELD_NONE;
}

static void fail(reader *r, const char *what)
{
    if (r->failed) return;
    r->failed = 1;
    snprintf(r->err, r->errlen, "line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(r->parser), what);
    XML_StopParser(r->parser, XML_FALSE);
}

static void XMLCALL on_start(void *ctx, const XML_Char *name, const XML_Char **attrs)
{
    reader *r = ctx;
    (void)attrs;
    if (r->depth < 8) snprintf(r->path[r->depth], sizeof(r->path[0]), "%s", name);
    ++r->depth;
    r->field = field_of(r), r->text_len = 0;
    if (in(r, "annotation", "object")) {
        relnas_voc_annotation *a = r->a;
        a->objects = realloc(a->objects, sizeof(*a->objects) * (size_t)(a->count + 1));
        RELNAS_ASSERT(a->objects);
        memset(&a->objects[a->count++], 0, sizeof(*a->objects));
        a->objects[a->count - 1].box = (relnas_voc_box){-1, -1, -1, -1};
    }
}

static void XMLCALL on_text(void *ctx, const XML_Char *s, int len)
{
    reader *r = ctx;
    if (r->field == FIELD_NONE) return;
    size_t n = (size_t)len < sizeof(r->text) - 1 - r->text_len ? (size_t)len : sizeof(r->text) - 1 - r->text_len;
    memcpy(r->text + r->text_len, s, n);
    r->text_len += n;
}

/* Pixel sizes and coordinates beyond this are not an image's (and would not fit an int). */
#define MAX_PIXELS 1e6

/* The number in the field's text, within +-MAX_PIXELS; fails the read (and returns 0) if it
 * is not one. */
static double number(reader *r)
{
    r->text[r->text_len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(r->text, &end);
    while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r') ++end;
    if (end == r->text || *end || errno || !(fabs(v) <= MAX_PIXELS)) {
        fail(r, "a number of pixels (at most 1000000) was expected");
        return 0;
    }
    return v;
}

static void store_field(reader *r)
{
    relnas_voc_annotated_object *o = r->a->count ? &r->a->objects[r->a->count - 1] : NULL;
    if (r->field == FIELD_WIDTH) r->a->width = (int)number(r), r->have_size |= 1;
    else if (r->field == FIELD_HEIGHT) r->a->height = (int)number(r), r->have_size |= 2;
    else if (!o) return;
    else if (r->field == FIELD_NAME) {
        r->text[r->text_len] = '\0';
        char *s = r->text;
        while (*s == ' ' || *s == '\n' || *s == '\t') ++s;
        snprintf(o->name, sizeof(o->name), "%.63s", s);
        o->name[strcspn(o->name, " \n\t\r")] = '\0';
    } else if (r->field == FIELD_DIFFICULT) o->difficult = number(r) != 0;
    else {
        float *slot[4] = {&o->box.xmin, &o->box.ymin, &o->box.xmax, &o->box.ymax};
        *slot[r->field - FIELD_XMIN] = (float)number(r);
    }
}

static void XMLCALL on_end(void *ctx, const XML_Char *name)
{
    reader *r = ctx;
    (void)name;
    if (r->field != FIELD_NONE) store_field(r);
    if (in(r, "annotation", "object")) {
        relnas_voc_annotated_object *o = &r->a->objects[r->a->count - 1];
        if (!o->name[0]) fail(r, "an <object> without <name>");
        else if (o->box.xmin < 0 || o->box.ymin < 0 || o->box.xmax < 0 || o->box.ymax < 0)
            fail(r, "an <object> without a complete <bndbox> (xmin, ymin, xmax, ymax)");
        else if (o->box.xmax < o->box.xmin || o->box.ymax < o->box.ymin) fail(r, "a <bndbox> with max < min");
    }
    --r->depth;
    r->field = FIELD_NONE;
}

int relnas_read_voc_annotation(const char *path, relnas_voc_annotation *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    FILE *fp = fopen(path, "rb");
    if (!fp) return relnas_errorf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    char msg[256] = "";
    reader r = {XML_ParserCreate(NULL), a, {{0}}, 0, 0, 0, 0, {0}, 0, msg, sizeof(msg), 0};
    XML_SetUserData(r.parser, &r);
    XML_SetElementHandler(r.parser, on_start, on_end);
    XML_SetCharacterDataHandler(r.parser, on_text);
    char buf[8192];
    size_t n;
    int done = 0;
    while (!r.failed && !done) {
        n = fread(buf, 1, sizeof(buf), fp);
        done = n < sizeof(buf);
        if (XML_Parse(r.parser, buf, (int)n, done) == XML_STATUS_ERROR && !r.failed) {
            snprintf(msg, sizeof(msg), "line %lu: malformed XML: %s", (unsigned long)XML_GetCurrentLineNumber(r.parser),
                     XML_ErrorString(XML_GetErrorCode(r.parser)));
            r.failed = 1;
        }
    }
    fclose(fp);
    XML_ParserFree(r.parser);
    if (!r.failed && r.have_size != 3) snprintf(msg, sizeof(msg), "no <size> with <width> and <height>"), r.failed = 1;
    if (!r.failed && (a->width <= 0 || a->height <= 0)) snprintf(msg, sizeof(msg), "an empty <size>"), r.failed = 1;
    if (!r.failed) return 0;
    relnas_voc_annotation_free(a);
    return relnas_errorf(err, errlen, "%s: %s", path, msg);
}

void relnas_voc_annotation_free(relnas_voc_annotation *a)
{
    free(a->objects);
    memset(a, 0, sizeof(*a));
}

int relnas_voc_annotation_path(const char *image, char *path, size_t len, char *id, size_t idlen)
{
    const char *at = strstr(image, "JPEGImages/");
    const char *base = strrchr(image, '/');
    base = base ? base + 1 : image;
    const char *dot = strrchr(base, '.');
    int idn = dot ? (int)(dot - base) : (int)strlen(base);
    snprintf(id, idlen, "%.*s", idn, base);
    if (!at) return -1;
    snprintf(path, len, "%.*sAnnotations/%s.xml", (int)(at - image), image, id);
    return 0;
}
