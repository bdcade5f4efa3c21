/* gongkai batch — not yet implemented (placeholder owned by its issue). */
#include <stdio.h>

#include "cli/cli.h"
#include "gongkai/gongkai.h"

int gk_cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongkai batch: %s\n", gk_strerror(GK_ERR_UNSUPPORTED));
    return GK_EXIT_USAGE;
}
