/* darknet relnas draw GENOTYPE -o cell.png|cell.svg|cell.dot: the cells as a graph. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli_args.h"
#include "genotype_draw.h"
#include "genotype_parse.h"
#include "output_file.h"
#include "relnas_commands.h"

static const char usage[] =
    "usage: darknet relnas draw GENOTYPE -o OUT.png|OUT.svg|OUT.pdf|OUT.dot\n"
    "  renders the normal and reduction cells with Graphviz (Debian: graphviz); .dot writes\n"
    "  the graph text only\n";

static const char *extension(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : "";
}

/* Renders the DOT text in dotfile with Graphviz's `dot` into out. */
static int render(const char *dotfile, const char *format, const char *out)
{
    pid_t pid = fork();
    if (pid == 0) {
        char flag[16];
        snprintf(flag, sizeof(flag), "-T%s", format);
        execlp("dot", "dot", flag, "-o", out, dotfile, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        fprintf(stderr, "darknet relnas draw: Graphviz's `dot` is not installed; "
                        "sudo apt-get install graphviz (or use -o OUT.dot)\n");
        return -1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int relnas_cmd_draw(int argc, char **argv)
{
    relnas_args a = relnas_args_make(argc, argv);
    if (relnas_arg_flag(&a, "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    const char *out = relnas_arg_string(&a, "-o", NULL), *input = relnas_arg_positional(&a, 0);
    if (relnas_args_finish(&a, 1) || !input || !out) {
        fputs(usage, stderr);
        return 2;
    }
    const char *format = extension(out);
    if (strcmp(format, "png") && strcmp(format, "svg") && strcmp(format, "pdf") && strcmp(format, "dot")) {
        fprintf(stderr, "darknet relnas draw: %s: the name must end in .png, .svg, .pdf or .dot\n", out);
        return 2;
    }
    relnas_genotype g;
    char source[512], err[512];
    if (relnas_genotype_load(input, &g, source, sizeof(source), err, sizeof(err))) {
        fprintf(stderr, "darknet relnas draw: %s\n", err);
        return 1;
    }
    relnas_output target;
    if (relnas_output_begin(&target, out, err, sizeof(err))) return fprintf(stderr, "darknet relnas draw: %s\n", err), 1;
    char dotfile[4300];
    snprintf(dotfile, sizeof(dotfile), "%s.dot", target.temp);
    FILE *fp = fopen(dotfile, "w");
    if (!fp) {
        perror(dotfile);
        return 1;
    }
    relnas_genotype_write_dot(fp, &g);
    int rc = fclose(fp) ? -1 : strcmp(format, "dot") ? render(dotfile, format, target.temp) : rename(dotfile, target.temp);
    unlink(dotfile);
    if (rc == 0) rc = relnas_output_commit(&target, err, sizeof(err));
    else relnas_output_abort(&target), snprintf(err, sizeof(err), "could not write %s", out);
    if (rc) {
        fprintf(stderr, "darknet relnas draw: %s\n", err);
        return 1;
    }
    fprintf(stderr, "wrote %s (%s)\n", out, source);
    return 0;
}
