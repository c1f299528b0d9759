/* A network cfg read as text, the way Darknet's read_cfg reads it (spaces and tabs removed,
 * `#` and `;` lines skipped), plus what read_cfg gets wrong: CRLF line ends and `# comment`
 * after a value are read as users mean them, and each key keeps its line number. */
#ifndef RELNAS_CFG_TEXT_H
#define RELNAS_CFG_TEXT_H

typedef struct relnas_cfg_entry {
    char *key;
    char *value;
    int line;
    int used; /* set by the checks that read it */
} relnas_cfg_entry;

typedef struct relnas_cfg_section {
    char *type; /* with brackets, e.g. "[convolutional]" */
    int line;
    relnas_cfg_entry *entries;
    int n, cap;
} relnas_cfg_section;

typedef struct relnas_cfg_text {
    relnas_cfg_section *sections;
    int n, cap;
    int lines;
    /* The first thing that is not a cfg: the text is unusable past it. */
    int bad_line;     /* 0: none */
    char bad[160];    /* "expected ..., found ..." */
    char bad_key[64]; /* the key on that line, if any */
} relnas_cfg_text;

/* Reads `path`; returns -1 (errno set) when it cannot be opened. A byte that is not text, a
 * key before the first section header, a line without `=` or with an empty key or value
 * set bad_line and stop the reading there. */
int relnas_cfg_text_read(const char *path, relnas_cfg_text *text);

/* Cleans one line in place as Darknet's read_cfg sees it after strip(): drops carriage
 * returns and a `#` comment after a value. */
void relnas_cfg_clean_line(char *line);

void relnas_cfg_text_free(relnas_cfg_text *text);

#endif
