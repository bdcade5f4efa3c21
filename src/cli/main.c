/* gongkai — entry point: global options, then a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gongkai/gongkai.h"

static void usage(FILE *out)
{
    fputs(GK_TR(
        "用法：gongkai [--lang zh|en] 命令 [选项] …\n"
        "\n"
        "命令：\n"
        "  check FILE…            检查数据：格式、金额与各表勾稽关系\n"
        "  render FILE… -o DIR    生成报告（-f txt,pdf,docx）\n"
        "  batch DIR|清单 -o DIR  批量生成各部门报告（-j N 并行）\n"
        "  diff OLD.json NEW.json 列出更正对报告的影响\n"
        "\n"
        "退出码：0 成功，1 数据或模板错误，2 用法错误，3 读写或系统错误。\n"
        "各命令的选项：gongkai 命令 --help\n",
        "usage: gongkai [--lang zh|en] COMMAND [OPTIONS] ...\n"
        "\n"
        "commands:\n"
        "  check FILE...             check data: format, amounts, identities\n"
        "  render FILE... -o DIR     render reports (-f txt,pdf,docx)\n"
        "  batch DIR|MANIFEST -o DIR render every department (-j N workers)\n"
        "  diff OLD.json NEW.json    show what a correction changes\n"
        "\n"
        "exit codes: 0 ok, 1 data or template errors, 2 usage, 3 I/O or system.\n"
        "options of a command: gongkai COMMAND --help\n"), out);
}

int main(int argc, char **argv)
{
    const char *lang = getenv("GONGKAI_LANG");
    if (!lang) {
        const char *lc = getenv("LC_ALL");
        if (!lc || !*lc) lc = getenv("LC_MESSAGES");
        if (!lc || !*lc) lc = getenv("LANG");
        if (lc && strncmp(lc, "en", 2) == 0)
            lang = "en";
    }
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
            lang = argv[++i];
        } else if (strncmp(argv[i], "--lang=", 7) == 0) {
            lang = argv[i] + 7;
        } else {
            break;
        }
    }
    if (lang && strcmp(lang, "en") == 0)
        gk_set_lang(GK_LANG_EN);
    if (i >= argc) {
        usage(stderr);
        return GK_EXIT_USAGE;
    }
    const char *cmd = argv[i];
    int sub_argc = argc - i;
    char **sub_argv = argv + i;
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return GK_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("gongkai %s\n", GK_VERSION);
        return GK_EXIT_OK;
    }
    if (strcmp(cmd, "check") == 0)
        return gk_cmd_check(sub_argc, sub_argv);
    if (strcmp(cmd, "render") == 0)
        return gk_cmd_render(sub_argc, sub_argv);
    if (strcmp(cmd, "batch") == 0)
        return gk_cmd_batch(sub_argc, sub_argv);
    if (strcmp(cmd, "diff") == 0)
        return gk_cmd_diff(sub_argc, sub_argv);
    fprintf(stderr, GK_TR("gongkai: 未知命令“%s”\n", "gongkai: unknown command '%s'\n"), cmd);
    usage(stderr);
    return GK_EXIT_USAGE;
}
