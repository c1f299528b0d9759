#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "genotype_parse.h"
#include "relnas_error.h"
#include "bundled_genotypes.h"

/* ---- errors -------------------------------------------------------------------------- */

/* ---- the repr ------------------------------------------------------------------------ */

typedef struct cursor {
    const char *text, *p;
    char *err;
    size_t errlen;
} cursor;

static void where(const cursor *c, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *q = c->text; q < c->p; ++q) {
        if (*q == '\n') ++*line, *col = 1;
        else ++*col;
    }
}

static int syntax(cursor *c, const char *expected)
{
    int line, col;
    where(c, &line, &col);
    char near[24] = "end of input";
    if (*c->p) snprintf(near, sizeof(near), "'%.16s'", c->p);
    for (char *q = near; *q; ++q)
        if (*q == '\n') *q = ' ';
    return relnas_errorf(c->err, c->errlen, "%d:%d: expected %s, found %s", line, col, expected, near);
}

static void skip_space(cursor *c)
{
    while (isspace((unsigned char)*c->p)) ++c->p;
}

/* Consumes `token` (after whitespace) if it is next. */
static int accept(cursor *c, const char *token)
{
    skip_space(c);
    size_t n = strlen(token);
    if (strncmp(c->p, token, n) != 0) return 0;
    c->p += n;
    return 1;
}

static int expect(cursor *c, const char *token)
{
    char what[32];
    snprintf(what, sizeof(what), "'%s'", token);
    return accept(c, token) ? 0 : syntax(c, what);
}

static int identifier(cursor *c, char *out, size_t outlen)
{
    skip_space(c);
    size_t n = 0;
    while (isalnum((unsigned char)c->p[n]) || c->p[n] == '_') ++n;
    if (!n || n >= outlen) return syntax(c, "a name");
    memcpy(out, c->p, n);
    out[n] = '\0';
    c->p += n;
    return 0;
}

static int integer(cursor *c, int *out)
{
    skip_space(c);
    char *end;
    errno = 0;
    long v = strtol(c->p, &end, 10);
    if (end == c->p || errno || v < -1000000 || v > 1000000) return syntax(c, "an integer");
    *out = (int)v;
    c->p = end;
    return 0;
}

static int op_name(cursor *c, relnas_primitive *op)
{
    skip_space(c);
    char quote = *c->p;
    if (quote != '\'' && quote != '"') return syntax(c, "a quoted op name");
    const char *start = ++c->p;
    const char *end = strchr(start, quote);
    if (!end || end - start > 40) return syntax(c, "a closing quote");
    char name[48];
    memcpy(name, start, (size_t)(end - start));
    name[end - start] = '\0';
    int found = relnas_primitive_find(name);
    if (found < 0) {
        c->p = start - 1;
        int line, col;
        where(c, &line, &col);
        char ops[256];
        relnas_primitive_list(ops, sizeof(ops));
        return relnas_errorf(c->err, c->errlen, "%d:%d: op '%s' is not in the search space (%s)", line, col,
                             name, ops);
    }
    *op = (relnas_primitive)found;
    c->p = end + 1;
    return 0;
}

static int edge_list(cursor *c, relnas_cell_genotype *cell, const char *name)
{
    if (expect(c, "[")) return -1;
    int n = 0;
    while (!accept(c, "]")) {
        if (n && expect(c, ",")) return -1;
        if (accept(c, "]")) break; /* trailing comma */
        if (n == RELNAS_EDGES)
            return relnas_errorf(c->err, c->errlen, "%s: more than %d edges; this search space has %d nodes "
                        "of 2 edges", name, RELNAS_EDGES, RELNAS_NODES);
        relnas_edge *e = &cell->edges[n++];
        int input;
        if (expect(c, "(") || op_name(c, &e->op) || expect(c, ",") || integer(c, &input) ||
            expect(c, ")"))
            return -1;
        e->input = input;
    }
    if (n != RELNAS_EDGES)
        return relnas_errorf(c->err, c->errlen, "%s: %d edges, expected %d (%d nodes of 2 edges)", name, n,
                    RELNAS_EDGES, RELNAS_NODES);
    return 0;
}

static int concat_list(cursor *c, relnas_cell_genotype *cell, const char *name)
{
    cell->nconcat = 0;
    if (accept(c, "range")) {
        int a, b;
        if (expect(c, "(") || integer(c, &a) || expect(c, ",") || integer(c, &b) || expect(c, ")"))
            return -1;
        if (a >= b || b - a > RELNAS_MAX_CONCAT)
            return relnas_errorf(c->err, c->errlen, "%s: range(%d, %d) is not a list of states", name, a, b);
        for (int s = a; s < b; ++s) cell->concat[cell->nconcat++] = s;
        cell->concat_is_range = 1;
        return 0;
    }
    cell->concat_is_range = 0;
    if (expect(c, "[")) return -1;
    while (!accept(c, "]")) {
        if (cell->nconcat && expect(c, ",")) return -1;
        if (accept(c, "]")) break;
        if (cell->nconcat == RELNAS_MAX_CONCAT)
            return relnas_errorf(c->err, c->errlen, "%s: more than %d states", name, RELNAS_MAX_CONCAT);
        if (integer(c, &cell->concat[cell->nconcat++])) return -1;
    }
    if (!cell->nconcat) return relnas_errorf(c->err, c->errlen, "%s: empty list of states", name);
    return 0;
}

static int parse_repr(const char *text, relnas_genotype *g, char *err, size_t errlen)
{
    cursor c = {text, text, err, errlen};
    char name[64];
    const char *start = c.p;
    /* An optional `NAME = ` in front, as lines of genotypes.py have. */
    if (identifier(&c, name, sizeof(name)) == 0 && strcmp(name, "Genotype") != 0 && accept(&c, "="))
        start = c.p;
    c.p = start;
    if (expect(&c, "Genotype") || expect(&c, "(")) return -1;
    int seen[4] = {0};
    static const char *const keys[4] = {"normal", "normal_concat", "reduce", "reduce_concat"};
    for (int n = 0; !accept(&c, ")"); ++n) {
        if (n) {
            if (expect(&c, ",")) return -1;
            if (accept(&c, ")")) break; /* trailing comma */
        }
        if (identifier(&c, name, sizeof(name))) return -1;
        int k = 0;
        while (k < 4 && strcmp(keys[k], name) != 0) ++k;
        if (k == 4) return relnas_errorf(err, errlen, "unknown field '%s'; a Genotype has normal, "
                                "normal_concat, reduce, reduce_concat", name);
        if (seen[k]++) return relnas_errorf(err, errlen, "field '%s' given twice", name);
        if (expect(&c, "=")) return -1;
        relnas_cell_genotype *cell = k < 2 ? &g->normal : &g->reduce;
        if ((k % 2 ? concat_list(&c, cell, name) : edge_list(&c, cell, name))) return -1;
    }
    for (int k = 0; k < 4; ++k)
        if (!seen[k]) return relnas_errorf(err, errlen, "field '%s' is missing", keys[k]);
    skip_space(&c);
    if (*c.p) return syntax(&c, "the end after Genotype(...)");
    return 0;
}

/* ---- validation ------------------------------------------------------------------------ */

static int validate_cell(const relnas_cell_genotype *cell, const char *name, char *err, size_t errlen)
{
    for (int e = 0; e < RELNAS_EDGES; ++e) {
        int node = e / 2, input = cell->edges[e].input;
        if (input < 0 || input >= 2 + node)
            return relnas_errorf(err, errlen, "%s edge %d (node %d) reads state %d; node %d can read "
                        "states 0..%d", name, e, node, input, node, 1 + node);
    }
    for (int i = 0; i < cell->nconcat; ++i) {
        if (cell->concat[i] < 0 || cell->concat[i] >= 2 + RELNAS_NODES)
            return relnas_errorf(err, errlen, "%s_concat names state %d; states are 0..%d", name,
                        cell->concat[i], 1 + RELNAS_NODES);
        for (int j = 0; j < i; ++j)
            if (cell->concat[j] == cell->concat[i])
                return relnas_errorf(err, errlen, "%s_concat names state %d twice", name, cell->concat[i]);
    }
    return 0;
}

int relnas_genotype_validate(const relnas_genotype *g, char *err, size_t errlen)
{
    return validate_cell(&g->normal, "normal", err, errlen) ||
                   validate_cell(&g->reduce, "reduce", err, errlen)
               ? -1
               : 0;
}

/* ---- the vector ------------------------------------------------------------------------ */

int relnas_decode_index(double x)
{
    return x != floor(x) ? (int)x : (int)(x - 0.1);
}

static void default_concat(relnas_cell_genotype *cell)
{
    cell->nconcat = RELNAS_NODES;
    cell->concat_is_range = 1;
    for (int i = 0; i < RELNAS_NODES; ++i) cell->concat[i] = 2 + i;
}

int relnas_genotype_from_vector(const double *v, relnas_genotype *g, char *err, size_t errlen)
{
    for (int t = 0; t < 2; ++t) {
        relnas_cell_genotype *cell = t ? &g->reduce : &g->normal;
        for (int j = 0; j < RELNAS_NODES; ++j)
            for (int k = 0; k < 2; ++k) {
                int pos = 16 * t + 4 * j + 2 * k;
                double in = v[pos], op = v[pos + 1];
                if (!(in >= 0 && in <= 2 + j))
                    return relnas_errorf(err, errlen, "vector position %d (%s node %d, input %d) is %g; "
                                "bounds are [0, %d]", pos, t ? "reduce" : "normal", j, k + 1, in, 2 + j);
                if (!(op >= 0 && op <= RELNAS_PRIMITIVE_COUNT))
                    return relnas_errorf(err, errlen, "vector position %d (%s node %d, op %d) is %g; "
                                "bounds are [0, %d]", pos + 1, t ? "reduce" : "normal", j, k + 1, op,
                                RELNAS_PRIMITIVE_COUNT);
                cell->edges[2 * j + k].input = relnas_decode_index(in);
                cell->edges[2 * j + k].op = (relnas_primitive)relnas_decode_index(op);
            }
        default_concat(cell);
    }
    return 0;
}

void relnas_genotype_text_of_vector(const double *v, char *buf, size_t len)
{
    relnas_genotype g;
    char err[256];
    buf[0] = '\0';
    if (relnas_genotype_from_vector(v, &g, err, sizeof(err)) == 0) relnas_genotype_format(buf, len, &g);
}

/* The length of the word at p, at most max: the message quotes one word, not the line after it. */
static int token_length(const char *p, int max)
{
    int n = 0;
    while (n < max && p[n] && !isspace((unsigned char)p[n]) && p[n] != ',') ++n;
    return n;
}

static int parse_vector(const char *text, relnas_genotype *g, char *err, size_t errlen)
{
    double v[RELNAS_VECTOR_LEN];
    int n = 0;
    const char *p = text;
    for (;;) {
        while (*p && (isspace((unsigned char)*p) || *p == ',' || *p == '[' || *p == ']')) ++p;
        if (!*p) break;
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno || !isfinite(x))
            return relnas_errorf(err, errlen, "position %d: expected a number, found '%.*s'", n,
                                 token_length(p, 12), p);
        if (n == RELNAS_VECTOR_LEN)
            return relnas_errorf(err, errlen, "more than %d numbers; an architecture vector has %d",
                        RELNAS_VECTOR_LEN, RELNAS_VECTOR_LEN);
        v[n++] = x;
        p = end;
    }
    if (n != RELNAS_VECTOR_LEN)
        return relnas_errorf(err, errlen, "%d numbers; an architecture vector has %d", n, RELNAS_VECTOR_LEN);
    return relnas_genotype_from_vector(v, g, err, errlen);
}

/* ---- entry points ---------------------------------------------------------------------- */

int relnas_genotype_parse(const char *text, relnas_genotype *g, char *err, size_t errlen)
{
    memset(g, 0, sizeof(*g));
    /* A vector is numbers, commas and brackets; anything with parentheses is a repr. */
    int rc = strchr(text, '(') ? parse_repr(text, g, err, errlen) : parse_vector(text, g, err, errlen);
    return rc ? rc : relnas_genotype_validate(g, err, errlen);
}

/* The offset of the first byte no text file holds (NUL, other control bytes but tab, newline,
 * carriage return and form feed), or len: a genotype message must not echo a binary file. */
static size_t first_control_byte(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; ++i) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) return i;
    }
    return len;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (len + got + 1 > cap) {
            cap = 2 * (len + got + 1);
            char *grown = realloc(buf, cap);
            if (!grown) break;
            buf = grown;
        }
        memcpy(buf + len, chunk, got);
        len += got;
        if (len > (1 << 20)) break; /* no genotype is a megabyte */
    }
    fclose(fp);
    if (!buf || len > (1 << 20)) {
        free(buf);
        relnas_errorf(err, errlen, "%s: not a genotype file (empty, unreadable or over 1 MiB)", path);
        return NULL;
    }
    buf[len] = '\0';
    size_t bad = first_control_byte(buf, len);
    if (bad < len) {
        relnas_errorf(err, errlen, "%s: not a genotype file (binary data: byte %zu is 0x%02x); a genotype "
                      "file holds a Genotype(...) line or 32 numbers", path, bad, (unsigned char)buf[bad]);
        free(buf);
        return NULL;
    }
    return buf;
}

int relnas_genotype_load(const char *input, relnas_genotype *g, char *source, size_t sourcelen,
                         char *err, size_t errlen)
{
    const char *bundled = relnas_bundled_genotype(input);
    if (bundled) {
        snprintf(source, sourcelen, "bundled genotype %s", input);
        return relnas_genotype_parse(bundled, g, err, errlen);
    }
    err[0] = '\0';
    char *text = read_file(input, err, errlen);
    if (text) {
        char inner[256];
        int rc = relnas_genotype_parse(text, g, inner, sizeof(inner));
        free(text);
        snprintf(source, sourcelen, "%s", input);
        if (rc) relnas_errorf(err, errlen, "%s: %s", input, inner);
        return rc;
    }
    if (err[0]) return -1;
    if (!strchr(input, '(') && !strpbrk(input, "0123456789"))
        return relnas_errorf(err, errlen, "'%s' is neither a bundled genotype (%s), a readable file, a "
                    "Genotype(...) repr nor an architecture vector", input,
                    relnas_bundled_genotype_names());
    snprintf(source, sourcelen, "command line");
    return relnas_genotype_parse(input, g, err, errlen);
}
