/* Where things are in a cfg file, for error messages that point at a line. */
#ifndef RELNAS_CFG_LOCATION_H
#define RELNAS_CFG_LOCATION_H

/* 1-based line of the `section`-th section header ([net] is section 0) in `cfgfile`, the
 * way Darknet's read_cfg counts sections; 0 if the file or section cannot be found. */
int relnas_cfg_section_line(const char *cfgfile, int section);

#endif
