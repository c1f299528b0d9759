/* Darknet's parse_network_cfg and read_cfg meet the cfg check (plugin/cfgcheck/) here:
 * the whole file is checked before any layer is built, and an error() Darknet raises while
 * it parses names the section it was in, in the check's format, and exits with status 1
 * (Darknet's error() aborts: status 134). */
#include <stdio.h>
#include <stdlib.h>
#include "relnas_hooks.h"
#include "cfg_check.h"
#include "cfg_location.h"
#include "cfg_text.h"

static struct {
    const char *cfgfile; /* NULL: not parsing */
    int layer;           /* -1: [net] */
    const char *section;
} parsing;

void relnas_check_cfg_or_exit(const char *cfgfile)
{
    relnas_cfg_check_options options = {.problems = stderr};
    relnas_cfg_check_result result;
    if (relnas_cfg_check_file(cfgfile, &options, &result)) exit(EXIT_FAILURE);
    relnas_parsing_section(cfgfile, -1, "[net]");
}

void relnas_clean_cfg_line(char *line)
{
    relnas_cfg_clean_line(line);
}

void relnas_parsing_section(const char *cfgfile, int layer, const char *section)
{
    parsing.cfgfile = cfgfile;
    parsing.layer = layer;
    parsing.section = section;
}

void relnas_darknet_error(const char *message)
{
    if (!parsing.cfgfile) return;
    int line = relnas_cfg_section_line(parsing.cfgfile, parsing.layer + 1);
    fprintf(stderr, "%s:%d: %s", parsing.cfgfile, line, parsing.section);
    if (parsing.layer >= 0) fprintf(stderr, " (layer %d)", parsing.layer);
    fprintf(stderr, ": %s\n", message);
    exit(EXIT_FAILURE);
}
