/* gongkai check [--strict] [--lang en] [--max-errors N] FILE...
 *
 * Loads each data file, type-checks it and verifies every identity
 * (gk_check).  Every problem of every file is reported, GCC style, on
 * stderr; a file that passes gets one line on stdout.  Exit: 0 clean,
 * 1 data wrong (or warnings with --strict), 2 usage, 3 input/output. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "gongkai/data.h"
#include "gongkai/gongkai.h"

static void usage(FILE *out)
{
    fputs(GK_TR(
        "用法：gongkai check [选项] 文件…\n"
        "\n"
        "检查数据文件（gongkai-report/1，见 docs/DATA.md）：JSON 语法、各项的类型、\n"
        "金额的写法，以及各表的勾稽关系（类=Σ款、款=Σ项、合计、收入总计=支出总计、\n"
        "财政拨款结转、“三公”经费、政府采购、写明的百分比……，见 docs/CHECK.md）。\n"
        "文件写作“-”时从标准输入读取。\n"
        "\n"
        "选项：\n"
        "  --strict          有警告也算不通过（退出码 1）\n"
        "  --max-errors N    每个文件最多显示 N 条问题（默认 200），其余只计数\n"
        "  --lang zh|en      消息语言（默认中文）\n"
        "  -h, --help        显示本帮助\n"
        "\n"
        "退出码：0 全部通过；1 数据有错误（--strict 时含警告）；2 用法错误；3 读写错误。\n",
        "usage: gongkai check [OPTIONS] FILE...\n"
        "\n"
        "Checks data files (gongkai-report/1, see docs/DATA.md): JSON syntax, types,\n"
        "how amounts are written, and the identities between the tables (class = sum\n"
        "of sections, section = sum of items, totals, income = expenditure, fund\n"
        "balances, the three public expenses, procurement, stated percentages, ...;\n"
        "see docs/CHECK.md).  A FILE of '-' reads standard input.\n"
        "\n"
        "options:\n"
        "  --strict          warnings fail the check too (exit 1)\n"
        "  --max-errors N    show at most N problems per file (default 200)\n"
        "  --lang zh|en      language of messages (default Chinese)\n"
        "  -h, --help        show this help\n"
        "\n"
        "exit codes: 0 all clean; 1 data errors (or warnings with --strict);\n"
        "2 usage error; 3 input/output error.\n"), out);
}

static bool has_io_error(const gk_diags *d)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].err.status == GK_ERR_IO)
            return true;
    return false;
}

int gk_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        { "strict", no_argument, NULL, 's' },
        { "lang", required_argument, NULL, 'l' },
        { "max-errors", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool strict = false, help = false;
    long max_errors = 0;
    const char *bad_max = NULL;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            strict = true;
            break;
        case 'l':
            if (strcmp(optarg, "en") == 0)
                gk_set_lang(GK_LANG_EN);
            else if (strcmp(optarg, "zh") == 0)
                gk_set_lang(GK_LANG_ZH);
            else {
                fprintf(stderr, GK_TR("gongkai check: 不支持的语言“%s”（可用 zh、en）\n",
                                      "gongkai check: unsupported language '%s' (zh or en)\n"),
                        optarg);
                return GK_EXIT_USAGE;
            }
            break;
        case 'm': {
            char *end;
            max_errors = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || max_errors <= 0 || max_errors > 1000000)
                bad_max = optarg;
            break;
        }
        case 'h':
            help = true;
            break;
        default: {
            const char *opt = argv[optind - 1];
            if (optopt && optopt != '?')
                fprintf(stderr, GK_TR("gongkai check: 未知选项“-%c”\n", "gongkai check: unknown option '-%c'\n"),
                        optopt);
            else
                fprintf(stderr, GK_TR("gongkai check: 未知选项或缺少参数：%s\n",
                                      "gongkai check: unknown option or missing argument: %s\n"),
                        opt);
            usage(stderr);
            return GK_EXIT_USAGE;
        }
        }
    }
    if (help) {
        usage(stdout);
        return GK_EXIT_OK;
    }
    if (bad_max) {
        fprintf(stderr, GK_TR("gongkai check: --max-errors 需要一个正整数，而不是“%s”\n",
                              "gongkai check: --max-errors needs a positive integer, not '%s'\n"),
                bad_max);
        return GK_EXIT_USAGE;
    }
    if (optind >= argc) {
        fputs(GK_TR("gongkai check: 缺少要检查的文件\n", "gongkai check: no file to check\n"), stderr);
        usage(stderr);
        return GK_EXIT_USAGE;
    }
    int rc = GK_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        const char *path = argv[i];
        gk_diags d = GK_DIAGS_INIT;
        d.max = (size_t)max_errors;
        gk_model *m = gk_model_load(path, &d);
        if (m)
            gk_check(m, &d);
        gk_diags_print(&d, stderr);
        const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
        if (has_io_error(&d)) {
            rc = GK_EXIT_IO;
        } else if (d.errors || (strict && d.warnings)) {
            if (rc == GK_EXIT_OK)
                rc = GK_EXIT_DATA;
            fprintf(stderr, GK_TR("%s: 未通过检查：%zu 个错误，%zu 个警告\n",
                                  "%s: check failed: %zu errors, %zu warnings\n"),
                    shown, d.errors, d.warnings);
        } else if (d.warnings) {
            printf(GK_TR("%s: 通过检查（%zu 个警告）\n", "%s: ok (%zu warnings)\n"), shown, d.warnings);
        } else {
            printf(GK_TR("%s: 通过检查\n", "%s: ok\n"), shown);
        }
        gk_model_free(m);
        gk_diags_release(&d);
    }
    fflush(stdout);
    return rc;
}
