#include <stdarg.h>
#include "cfg_report.h"

static void print_where(const relnas_cfg_report *r, relnas_cfg_where at)
{
    fprintf(r->out, "%s:", r->path);
    if (at.line > 0) fprintf(r->out, "%d:", at.line);
    if (at.section) {
        fprintf(r->out, " %s", at.section);
        if (at.layer >= 0) fprintf(r->out, " (layer %d)", at.layer);
        fputc(':', r->out);
    }
    if (at.key) fprintf(r->out, " %s:", at.key);
    fputc(' ', r->out);
}

static void report(relnas_cfg_report *r, relnas_cfg_where at, const char *label, const char *fmt,
                   va_list ap)
{
    if (!r->out) return;
    print_where(r, at);
    if (label) fputs(label, r->out);
    vfprintf(r->out, fmt, ap);
    fputc('\n', r->out);
}

void relnas_cfg_error(relnas_cfg_report *r, relnas_cfg_where at, const char *fmt, ...)
{
    ++r->errors;
    va_list ap;
    va_start(ap, fmt);
    report(r, at, NULL, fmt, ap);
    va_end(ap);
}

void relnas_cfg_warning(relnas_cfg_report *r, relnas_cfg_where at, const char *fmt, ...)
{
    ++r->warnings;
    va_list ap;
    va_start(ap, fmt);
    report(r, at, r->strict ? "(strict) " : "warning: ", fmt, ap);
    va_end(ap);
}

int relnas_cfg_failed(const relnas_cfg_report *r)
{
    return r->errors + (r->strict ? r->warnings : 0);
}
