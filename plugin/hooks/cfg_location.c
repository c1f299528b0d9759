#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "cfg_location.h"

/* Darknet's read_cfg strips all whitespace from a line, then a '[' starts a section. */
static int starts_section(const char *line)
{
    while (*line && isspace((unsigned char)*line)) ++line;
    return *line == '[';
}

int relnas_cfg_section_line(const char *cfgfile, int section)
{
    FILE *fp = fopen(cfgfile, "r");
    if (!fp) return 0;
    char buf[4096];
    int line = 0, seen = -1, found = 0, at_line_start = 1;
    while (!found && fgets(buf, sizeof(buf), fp)) {
        if (at_line_start) {
            ++line;
            if (starts_section(buf) && ++seen == section) found = line;
        }
        at_line_start = strchr(buf, '\n') != NULL; /* long lines come in pieces */
    }
    fclose(fp);
    return found;
}
