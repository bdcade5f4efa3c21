/* gongkai check — not yet implemented (placeholder owned by its issue). */
#include <stdio.h>

#include "cli/cli.h"
#include "gongkai/gongkai.h"

int gk_cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "gongkai check: %s\n", gk_strerror(GK_ERR_UNSUPPORTED));
    return GK_EXIT_USAGE;
}
