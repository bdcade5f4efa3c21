/* gongkai render — data files to reports (text, PDF, DOCX).
 *
 *   gongkai render [-f txt,pdf,docx] [-o DIR] [--template PATH] [--lang en]
 *                  [--quiet] FILE...
 *
 * Each FILE is loaded, checked (a report never publishes inconsistent
 * numbers: errors refuse, warnings are printed), filled into the layout
 * of its kind (or --template) and written as DIR/<stem>.<ext>, every file
 * atomically.  `-o -` with one format and one FILE writes to stdout. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "gongkai/gongkai.h"
#include "gongkai/render.h"
#include "gongkai/report.h"
#include "gongkai/tmpl.h"

static void usage(FILE *out)
{
    fputs(GK_TR(
        "用法：gongkai render [选项] FILE…\n"
        "\n"
        "把部门预算/决算数据（JSON）生成为公开报告。\n"
        "\n"
        "选项：\n"
        "  -f, --format LIST    输出格式，逗号分隔：txt,pdf,docx（默认全部）\n"
        "  -o, --output DIR     输出文件夹（默认当前文件夹）；\"-\" 表示写到标准输出\n"
        "                       （此时只能有一种格式、一个数据文件）\n"
        "  -t, --template PATH  使用另一套版式（report.xml 或其所在文件夹）\n"
        "      --lang zh|en     消息语言\n"
        "  -q, --quiet          只报告错误\n"
        "  -h, --help           显示本帮助\n"
        "\n"
        "数据先经过检查：有错误时不生成报告，警告照常打印。\n"
        "输出文件名为 DIR/<数据文件名>.<扩展名>，原子写入。\n"
        "环境变量 SOURCE_DATE_EPOCH 固定文档元数据中的日期。\n"
        "\n"
        "退出码：0 成功，1 数据或模板错误，2 用法错误，3 读写或系统错误。\n",
        "usage: gongkai render [OPTIONS] FILE...\n"
        "\n"
        "Render department budget / final-accounts data (JSON) as disclosure reports.\n"
        "\n"
        "options:\n"
        "  -f, --format LIST    output formats, comma separated: txt,pdf,docx (default all)\n"
        "  -o, --output DIR     output folder (default the current one); \"-\" writes to\n"
        "                       standard output (one format and one FILE only)\n"
        "  -t, --template PATH  another layout (report.xml or its folder)\n"
        "      --lang zh|en     language of messages\n"
        "  -q, --quiet          report errors only\n"
        "  -h, --help           show this help\n"
        "\n"
        "The data is checked first: errors refuse the report, warnings are printed.\n"
        "Outputs are DIR/<data file name>.<ext>, written atomically.\n"
        "SOURCE_DATE_EPOCH fixes the date written into document metadata.\n"
        "\n"
        "exit codes: 0 ok, 1 data or template errors, 2 usage, 3 I/O or system.\n"), out);
}

static int exit_code_of(gk_status st)
{
    switch (st) {
    case GK_OK:
        return GK_EXIT_OK;
    case GK_ERR_USAGE:
        return GK_EXIT_USAGE;
    case GK_ERR_IO:
    case GK_ERR_BACKEND:
    case GK_ERR_FONT:
        return GK_EXIT_IO;
    default:
        return GK_EXIT_DATA;
    }
}

static void print_error(const gk_error *e)
{
    gk_buf b = GK_BUF_INIT;
    gk_error_format(e, &b);
    fprintf(stderr, "%s\n", b.ptr);
    gk_buf_release(&b);
}

/* Print the diagnostics of a run: errors always, warnings unless quiet. */
static void print_diags(const gk_diags *d, bool quiet)
{
    if (!quiet) {
        gk_diags_print(d, stderr);
        return;
    }
    gk_diags only = GK_DIAGS_INIT;
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].severity == GK_SEV_ERROR)
            gk_diags_add(&only, GK_SEV_ERROR, &d->items[i].err);
    gk_diags_print(&only, stderr);
    gk_diags_release(&only);
}

static long long source_date_epoch(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0) {
        fprintf(stderr, GK_TR("gongkai render: 忽略无效的 SOURCE_DATE_EPOCH=\"%s\"\n",
                              "gongkai render: ignoring invalid SOURCE_DATE_EPOCH=\"%s\"\n"),
                s);
        return 0;
    }
    return v;
}

static const char *format_label(int i)
{
    static const char *const names[] = {"TXT", "PDF", "DOCX"};
    return i >= 0 && i < 3 ? names[i] : "?";
}

/* One file to stdout in one format. */
static int render_stdout(const char *file, int fmt, const gk_template *tmpl,
                         long long epoch, bool quiet)
{
    gk_report_result res;
    memset(&res, 0, sizeof res);
    gk_doc *doc = NULL;
    gk_status st = gk_report_build_doc(file, tmpl, &doc, &res);
    print_diags(&res.diags, quiet);
    if (st) {
        int rc = exit_code_of(st);
        for (size_t i = 0; i < res.diags.len; i++)
            if (res.diags.items[i].severity == GK_SEV_ERROR &&
                res.diags.items[i].err.status == GK_ERR_IO)
                rc = GK_EXIT_IO;
        gk_report_result_release(&res);
        return rc;
    }
    gk_buf out = GK_BUF_INIT;
    gk_error err;
    gk_error_clear(&err);
    gk_render_opts ropts = {.source_date_epoch = epoch, .warnings = &res.diags};
    size_t warnings_before = res.diags.len;
    if (fmt == 0)
        st = GK_OK, gk_render_text(doc, &out);
    else if (fmt == 1)
        st = gk_render_pdf(doc, &ropts, &out, &err);
    else
        st = gk_render_docx(doc, &ropts, &out, &err);
    if (!quiet && res.diags.len > warnings_before) {
        gk_diags later = GK_DIAGS_INIT;
        for (size_t i = warnings_before; i < res.diags.len; i++)
            gk_diags_add(&later, res.diags.items[i].severity, &res.diags.items[i].err);
        gk_diags_print(&later, stderr);
        gk_diags_release(&later);
    }
    int rc = GK_EXIT_OK;
    if (st == GK_ERR_UNSUPPORTED) {
        fprintf(stderr, GK_TR("gongkai render: 此版本尚不支持 %s 输出\n",
                              "gongkai render: this build does not support %s output yet\n"),
                format_label(fmt));
        rc = GK_EXIT_USAGE;
    } else if (st) {
        print_error(&err);
        rc = exit_code_of(st);
    } else if (fwrite(out.ptr, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, GK_TR("gongkai render: 写标准输出失败：%s\n",
                              "gongkai render: cannot write to standard output: %s\n"),
                strerror(errno));
        rc = GK_EXIT_IO;
    }
    gk_buf_release(&out);
    gk_doc_free(doc);
    gk_report_result_release(&res);
    return rc;
}

static gk_template *load_template(const char *path, int *rc)
{
    struct stat sb;
    gk_buf p = GK_BUF_INIT;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            n--;
        gk_buf_put(&p, path, n);
        gk_buf_puts(&p, "/report.xml");
    }
    else
        gk_buf_puts(&p, path);
    gk_error err;
    gk_error_clear(&err);
    gk_template *t = gk_template_load(p.ptr, &err);
    gk_buf_release(&p);
    if (!t) {
        print_error(&err);
        *rc = err.status == GK_ERR_IO ? GK_EXIT_IO : GK_EXIT_DATA;
    }
    return t;
}

int gk_cmd_render(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"lang", required_argument, NULL, 'L'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned formats = GK_FORMAT_ALL;
    bool formats_given = false, quiet = false;
    const char *out_dir = ".", *tmpl_path = NULL;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":f:o:t:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            if (!gk_format_parse(optarg, &formats)) {
                fprintf(stderr, GK_TR("gongkai render: 未知的输出格式“%s”（可用 txt、pdf、docx）\n",
                                      "gongkai render: unknown format '%s' (use txt, pdf, docx)\n"),
                        optarg);
                return GK_EXIT_USAGE;
            }
            formats_given = true;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 't':
            tmpl_path = optarg;
            break;
        case 'L':
            if (strcmp(optarg, "en") == 0)
                gk_set_lang(GK_LANG_EN);
            else if (strcmp(optarg, "zh") == 0)
                gk_set_lang(GK_LANG_ZH);
            else {
                fprintf(stderr, GK_TR("gongkai render: --lang 只能是 zh 或 en\n",
                                      "gongkai render: --lang must be zh or en\n"));
                return GK_EXIT_USAGE;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            usage(stdout);
            return GK_EXIT_OK;
        case ':':
            fprintf(stderr, GK_TR("gongkai render: 选项 %s 需要参数\n",
                                  "gongkai render: option %s needs an argument\n"),
                    argv[optind - 1]);
            usage(stderr);
            return GK_EXIT_USAGE;
        default:
            fprintf(stderr, GK_TR("gongkai render: 未知选项 %s\n", "gongkai render: unknown option %s\n"),
                    argv[optind - 1]);
            usage(stderr);
            return GK_EXIT_USAGE;
        }
    }
    int nfiles = argc - optind;
    if (nfiles <= 0) {
        fprintf(stderr, GK_TR("gongkai render: 缺少数据文件\n", "gongkai render: no data file given\n"));
        usage(stderr);
        return GK_EXIT_USAGE;
    }
    bool to_stdout = strcmp(out_dir, "-") == 0;
    int nformats = 0, only = -1;
    for (int i = 0; i < GK_FORMAT_COUNT; i++)
        if (formats & (1u << i)) {
            nformats++;
            only = i;
        }
    if (to_stdout && (nformats != 1 || nfiles != 1 || !formats_given)) {
        fprintf(stderr, GK_TR("gongkai render: -o - 只能配合一种格式（-f）和一个数据文件\n",
                              "gongkai render: -o - needs exactly one format (-f) and one data file\n"));
        return GK_EXIT_USAGE;
    }
    long long epoch = source_date_epoch();

    int rc = GK_EXIT_OK;
    gk_template *tmpl = NULL;
    if (tmpl_path && !(tmpl = load_template(tmpl_path, &rc)))
        return rc;

    if (to_stdout) {
        rc = render_stdout(argv[optind], only, tmpl, epoch, quiet);
        gk_template_free(tmpl);
        return rc;
    }

    struct stat sb;
    if (stat(out_dir, &sb) != 0) {
        if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, GK_TR("%s: 错误: 无法创建输出文件夹：%s\n",
                                  "%s: error: cannot create the output folder: %s\n"),
                    out_dir, strerror(errno));
            gk_template_free(tmpl);
            return GK_EXIT_IO;
        }
    } else if (!S_ISDIR(sb.st_mode)) {
        fprintf(stderr, GK_TR("%s: 错误: 不是文件夹\n", "%s: error: not a folder\n"), out_dir);
        gk_template_free(tmpl);
        return GK_EXIT_USAGE;
    }

    unsigned noticed = 0;
    for (int f = optind; f < argc; f++) {
        gk_report_opts opts = {
            .formats = formats,
            .out_dir = out_dir,
            .tmpl = tmpl,
            .source_date_epoch = epoch,
            .keep_going_unsupported = true,
        };
        gk_report_result res;
        memset(&res, 0, sizeof res);
        gk_status st = gk_report_render_file(argv[f], &opts, &res);
        print_diags(&res.diags, quiet);
        for (int i = 0; i < GK_FORMAT_COUNT; i++) {
            if ((res.skipped & (1u << i)) && !(noticed & (1u << i))) {
                noticed |= 1u << i;
                if (!quiet)
                    fprintf(stderr, GK_TR("gongkai render: 注意：此版本尚不支持 %s 输出，已跳过\n",
                                          "gongkai render: note: %s output is not supported by this build yet; skipped\n"),
                            format_label(i));
            }
            if (res.outputs[i] && !quiet)
                printf(GK_TR("已写入 %s（%zu 字节）\n", "wrote %s (%zu bytes)\n"), res.outputs[i],
                       res.output_bytes[i]);
        }
        if (st) {
            int frc = exit_code_of(st);
            for (size_t i = 0; i < res.diags.len; i++)
                if (res.diags.items[i].severity == GK_SEV_ERROR &&
                    res.diags.items[i].err.status == GK_ERR_IO)
                    frc = GK_EXIT_IO; /* a file that cannot be read or written */
            if ((st == GK_ERR_CHECK || st == GK_ERR_DATA) && frc == GK_EXIT_DATA)
                fprintf(stderr, GK_TR("%s: 数据有错误，未生成报告\n",
                                      "%s: the data has errors; no report written\n"),
                        argv[f]);
            if (frc > rc)
                rc = frc;
        }
        gk_report_result_release(&res);
    }
    gk_template_free(tmpl);
    fflush(stdout);
    return rc;
}
