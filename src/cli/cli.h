/* gongkai command line: one function per subcommand.  Exit codes:
 * 0 ok, 1 data or template errors, 2 usage, 3 input/output or system. */
#ifndef GONGKAI_CLI_H
#define GONGKAI_CLI_H

enum { GK_EXIT_OK = 0, GK_EXIT_DATA = 1, GK_EXIT_USAGE = 2, GK_EXIT_IO = 3 };

int gk_cmd_check(int argc, char **argv);  /* cmd_check.c */
int gk_cmd_render(int argc, char **argv); /* cmd_render.c */
int gk_cmd_batch(int argc, char **argv);  /* cmd_batch.c */
int gk_cmd_diff(int argc, char **argv);   /* cmd_diff.c */

#endif
