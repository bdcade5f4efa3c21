/*
 * gongkai batch — every department of a folder or manifest, in parallel.
 *
 * Each department renders in a process of its own (fork per job, at most
 * -j at a time), so one department's failure — a data error, a template
 * error, even a crash — never stops or spoils the others.  Children write
 * their files atomically and report back one JSON line through a pipe;
 * the parent keeps the progress display, the incremental state and
 * OUT/batch-report.json.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/jsonw.h"
#include "gongkai/gongkai.h"
#include "gongkai/render.h"
#include "gongkai/report.h"

#define STATE_FILE ".gongkai-state"
#define REPORT_FILE "batch-report.json"

typedef enum job_status {
    JOB_PENDING = 0,
    JOB_RUNNING,
    JOB_OK,
    JOB_FAILED,
    JOB_UNCHANGED,
    JOB_INTERRUPTED
} job_status;

typedef struct job {
    char *input;        /* path as given / resolved from the manifest */
    char *tmpl_path;    /* manifest override, or NULL */
    char hash[65];      /* inputs' SHA-256 (incremental) */
    job_status status;
    pid_t pid;
    int fd;             /* read end of the result pipe */
    gk_buf result;      /* the child's JSON line */
    double start_ms, ms;
} job;

typedef struct batch {
    job *jobs;
    size_t njobs;
    const char *out_dir;
    unsigned formats;
    const char *name_pattern;
    const char *tmpl_path;
    bool incremental, quiet, strict, tty;
    int workers;
    double timeout_ms;
    char env_hash[65];
    gk_template *kind_tmpl[2];
    gk_template *override_tmpl;
    size_t done, failed, unchanged;
    double t0;
} batch;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *out)
{
    fputs(GK_TR(
        "用法：gongkai batch 目录|清单 -o 输出目录 [选项]\n"
        "\n"
        "逐个部门生成报告：目录中的每个 *.json，或清单中的每一行（“数据文件 [模板]”，\n"
        "# 开头为注释，相对路径相对于清单所在目录）。\n"
        "\n"
        "  -o, --output DIR       输出目录（不存在则创建）\n"
        "  -j, --jobs N           并行进程数（默认：CPU 核数）\n"
        "  -f, --formats LIST     txt,pdf,docx 中的若干项（默认 pdf,docx）\n"
        "      --name PATTERN     输出文件名，可用 {stem} {year} {department} {short} {kind} {code}\n"
        "                         （默认 {stem}）\n"
        "      --template PATH    所有部门使用此模板（默认按数据的 kind 选择）\n"
        "      --incremental      输入（数据、模板、字体表、程序版本）未变的部门不再生成\n"
        "      --shard K/N        只处理确定的第 K 份（共 N 份），用于多机分工\n"
        "      --timeout SEC      单个部门的时限（默认 300 秒）\n"
        "      --strict           警告也视为失败\n"
        "  -q, --quiet            只报告失败（无进度，成功时无总结）\n"
        "  -h, --help             显示本帮助\n"
        "\n"
        "结果写入 输出目录/batch-report.json。退出码：0 全部成功，1 有部门失败，\n"
        "2 用法错误，3 读写或系统错误，130 被中断。\n",
        "usage: gongkai batch DIR|MANIFEST -o OUT [options]\n"
        "\n"
        "Renders every department: each *.json of DIR, or each line of MANIFEST\n"
        "(\"data.json [template]\", # starts a comment, relative paths are relative\n"
        "to the manifest's folder).\n"
        "\n"
        "  -o, --output DIR       output folder (created when missing)\n"
        "  -j, --jobs N           parallel processes (default: CPU count)\n"
        "  -f, --formats LIST     some of txt,pdf,docx (default pdf,docx)\n"
        "      --name PATTERN     output name from {stem} {year} {department} {short}\n"
        "                         {kind} {code} (default {stem})\n"
        "      --template PATH    use this template for every department\n"
        "      --incremental      skip departments whose inputs (data, template, font\n"
        "                         map, program version) are unchanged\n"
        "      --shard K/N        render only the deterministic K-th of N shares\n"
        "      --timeout SEC      time limit per department (default 300)\n"
        "      --strict           warnings count as failures\n"
        "  -q, --quiet            report failures only (no progress; no summary when all succeed)\n"
        "  -h, --help             show this help\n"
        "\n"
        "Results go to OUT/batch-report.json.  Exit: 0 all succeeded, 1 some\n"
        "failed, 2 usage, 3 I/O or system error, 130 interrupted.\n"), out);
}

/* mkdir -p: create `dir` and any missing parents. */
static int make_dirs(const char *dir)
{
    char *p = gk_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0755) != 0 && errno != EEXIST)
        rc = -1;
    free(p);
    return rc;
}

/* ---------------- inputs ---------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_job(batch *b, size_t *cap, const char *input, const char *tmpl)
{
    if (b->njobs == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        b->jobs = gk_xrealloc(b->jobs, *cap * sizeof(job));
    }
    job *j = &b->jobs[b->njobs++];
    memset(j, 0, sizeof *j);
    j->input = gk_xstrdup(input);
    j->tmpl_path = tmpl ? gk_xstrdup(tmpl) : NULL;
    j->fd = -1;
    gk_buf_init(&j->result);
}

static int collect_dir(batch *b, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, GK_TR("gongkai batch: %s: 无法打开目录：%s\n",
                              "gongkai batch: %s: cannot open folder: %s\n"),
                dir, strerror(errno));
        return GK_EXIT_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json"))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = gk_xrealloc(names, cap * sizeof(char *));
        }
        names[n++] = gk_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp_str);
    size_t jcap = 0;
    for (size_t i = 0; i < n; i++) {
        gk_buf p = GK_BUF_INIT;
        gk_buf_printf(&p, "%s/%s", dir, names[i]);
        add_job(b, &jcap, p.ptr, NULL);
        gk_buf_release(&p);
        free(names[i]);
    }
    free(names);
    return 0;
}

static int collect_manifest(batch *b, const char *path)
{
    char *data;
    size_t len;
    gk_error err;
    if (gk_read_file(path, 64u << 20, &data, &len, &err)) {
        gk_buf m = GK_BUF_INIT;
        gk_error_format(&err, &m);
        fprintf(stderr, "gongkai batch: %s\n", m.ptr);
        gk_buf_release(&m);
        return GK_EXIT_IO;
    }
    gk_buf base = GK_BUF_INIT;
    const char *slash = strrchr(path, '/');
    if (slash)
        gk_buf_put(&base, path, (size_t)(slash - path + 1));
    size_t jcap = 0;
    int lineno = 0, rc = 0;
    for (char *line = data; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        char *fields[3] = {0};
        int nf = 0;
        for (char *tok = strtok(line, " \t\r"); tok && nf < 3; tok = strtok(NULL, " \t\r")) {
            if (tok[0] == '#')
                break;
            fields[nf++] = tok;
        }
        if (nf == 3) {
            fprintf(stderr, GK_TR("%s:%d: 错误: 清单每行只能有“数据文件 [模板]”两项\n",
                                  "%s:%d: error: a manifest line holds \"data.json [template]\" only\n"),
                    path, lineno);
            rc = GK_EXIT_USAGE;
        } else if (nf > 0) {
            gk_buf in = GK_BUF_INIT, tp = GK_BUF_INIT;
            if (fields[0][0] != '/')
                gk_buf_puts(&in, base.ptr);
            gk_buf_puts(&in, fields[0]);
            if (nf == 2) {
                if (fields[1][0] != '/')
                    gk_buf_puts(&tp, base.ptr);
                gk_buf_puts(&tp, fields[1]);
            }
            add_job(b, &jcap, in.ptr, nf == 2 ? tp.ptr : NULL);
            gk_buf_release(&in);
            gk_buf_release(&tp);
        }
        line = next;
    }
    free(data);
    gk_buf_release(&base);
    return rc;
}

/* Keep the deterministic K-th share: job i belongs to shard (i mod N) + 1
 * of the sorted input list, so N machines given the same list render each
 * input exactly once with no coordination. */
static void apply_shard(batch *b, int k, int n)
{
    size_t w = 0;
    for (size_t i = 0; i < b->njobs; i++) {
        if ((int)(i % (size_t)n) == k - 1) {
            b->jobs[w++] = b->jobs[i];
        } else {
            free(b->jobs[i].input);
            free(b->jobs[i].tmpl_path);
        }
    }
    b->njobs = w;
}

/* ---------------- incremental state ---------------- */

static void hash_file(gk_sha256 *s, const char *path)
{
    char *data;
    size_t len;
    gk_error err;
    gk_sha256_update(s, path, strlen(path) + 1);
    if (gk_read_file(path, (size_t)1 << 30, &data, &len, &err) == GK_OK) {
        gk_sha256_update(s, data, len);
        free(data);
    } else {
        gk_sha256_update(s, "\0missing", 8);
    }
}

/* Every regular file under dir, in sorted order. */
static void hash_tree(gk_sha256 *s, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = gk_xrealloc(names, cap * sizeof(char *));
        }
        names[n++] = gk_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < n; i++) {
        gk_buf p = GK_BUF_INIT;
        gk_buf_printf(&p, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p.ptr, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                hash_tree(s, p.ptr);
            else if (S_ISREG(st.st_mode))
                hash_file(s, p.ptr);
        }
        gk_buf_release(&p);
        free(names[i]);
    }
    free(names);
}

/* What every department shares: the program version, the layouts and the
 * catalog, the font map, the formats and the name pattern.  Font files
 * are identified by the font map's bytes (their paths) rather than read
 * whole: they are large and come from packages. */
static void compute_env_hash(batch *b)
{
    gk_sha256 s;
    gk_sha256_init(&s);
    gk_sha256_update(&s, GK_VERSION, strlen(GK_VERSION) + 1);
    char fmt[32];
    snprintf(fmt, sizeof fmt, "%u", b->formats);
    gk_sha256_update(&s, fmt, strlen(fmt) + 1);
    const char *pat = b->name_pattern ? b->name_pattern : "{stem}";
    gk_sha256_update(&s, pat, strlen(pat) + 1);
    gk_buf p = GK_BUF_INIT;
    gk_buf_printf(&p, "%s/templates", gk_share_dir());
    hash_tree(&s, p.ptr);
    gk_buf_clear(&p);
    gk_buf_printf(&p, "%s/fonts", gk_share_dir());
    hash_tree(&s, p.ptr);
    gk_buf_release(&p);
    if (b->tmpl_path) {
        gk_buf dir = GK_BUF_INIT;
        const char *slash = strrchr(b->tmpl_path, '/');
        if (slash)
            gk_buf_put(&dir, b->tmpl_path, (size_t)(slash - b->tmpl_path));
        else
            gk_buf_puts(&dir, ".");
        hash_tree(&s, dir.ptr);
        gk_buf_release(&dir);
    }
    gk_sha256_hex(&s, b->env_hash);
}

static void compute_job_hash(batch *b, job *j)
{
    gk_sha256 s;
    gk_sha256_init(&s);
    gk_sha256_update(&s, b->env_hash, 64);
    hash_file(&s, j->input);
    if (j->tmpl_path) {
        gk_buf dir = GK_BUF_INIT;
        const char *slash = strrchr(j->tmpl_path, '/');
        if (slash)
            gk_buf_put(&dir, j->tmpl_path, (size_t)(slash - j->tmpl_path));
        else
            gk_buf_puts(&dir, ".");
        hash_tree(&s, dir.ptr);
        gk_buf_release(&dir);
    }
    gk_sha256_hex(&s, j->hash);
}

/* The state file holds "HASH<TAB>INPUT<TAB>OUTPUT..." per department that
 * rendered successfully.  A department is unchanged when its hash is the
 * same and every output it wrote is still there. */
static bool state_unchanged(const char *state, const job *j)
{
    if (!state)
        return false;
    size_t hl = 64;
    for (const char *line = state; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > hl + 1 && strncmp(line, j->hash, hl) == 0 && line[hl] == '\t') {
            const char *in = line + hl + 1;
            size_t inlen = strcspn(in, "\t\n");
            if (inlen == strlen(j->input) && strncmp(in, j->input, inlen) == 0) {
                bool all = true;
                const char *o = in + inlen;
                while (*o == '\t') {
                    o++;
                    size_t ol = strcspn(o, "\t\n");
                    char path[4096];
                    if (ol >= sizeof path)
                        return false;
                    memcpy(path, o, ol);
                    path[ol] = '\0';
                    if (access(path, R_OK) != 0)
                        all = false;
                    o += ol;
                }
                return all;
            }
        }
        line += len + (end ? 1 : 0);
    }
    return false;
}

/* ---------------- children ---------------- */

static void put_diags(gk_buf *out, const char *key, const gk_diags *d,
                      gk_severity sev)
{
    jsonw_key(out, key);
    gk_buf_putc(out, '[');
    bool first = true;
    gk_buf line = GK_BUF_INIT;
    for (size_t i = 0; i < d->len; i++) {
        if (d->items[i].severity != sev)
            continue;
        gk_buf_clear(&line);
        gk_diag_format(&d->items[i], &line);
        if (!first)
            gk_buf_putc(out, ',');
        jsonw_str(out, line.ptr);
        first = false;
    }
    gk_buf_release(&line);
    gk_buf_putc(out, ']');
}

static void run_child(batch *b, job *j, int fd)
{
    gk_report_opts opts = {
        .formats = b->formats,
        .out_dir = b->out_dir,
        .name = b->name_pattern,
        .strict = b->strict,
        .keep_going_unsupported = true,
        /* Several workers already keep the CPUs busy: a second thread
         * per report would only add its overhead. */
        .one_thread = b->workers > 1,
    };
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde)
        opts.source_date_epoch = strtoll(sde, NULL, 10);
    gk_template *own = NULL;
    gk_report_result r = {0};
    gk_error err;
    gk_error_clear(&err);
    if (j->tmpl_path) {
        own = gk_template_load(j->tmpl_path, &err);
        if (!own)
            gk_diags_add(&r.diags, GK_SEV_ERROR, &err);
        opts.tmpl = own;
    } else {
        opts.tmpl = b->override_tmpl;
        opts.kind_tmpl[0] = b->kind_tmpl[0];
        opts.kind_tmpl[1] = b->kind_tmpl[1];
    }
    gk_status st = r.diags.errors ? GK_ERR_TEMPLATE
                                  : gk_report_render_file(j->input, &opts, &r);
    gk_buf out = GK_BUF_INIT;
    gk_buf_putc(&out, '{');
    jsonw_key(&out, "ok");
    gk_buf_puts(&out, st == GK_OK ? "true" : "false");
    gk_buf_putc(&out, ',');
    jsonw_key(&out, "department");
    jsonw_str(&out, r.department ? r.department : "");
    gk_buf_printf(&out, ",\"year\":%d,", r.year);
    jsonw_key(&out, "outputs");
    gk_buf_putc(&out, '[');
    bool first = true;
    for (int i = 0; i < GK_FORMAT_COUNT; i++)
        if (r.outputs[i]) {
            if (!first)
                gk_buf_putc(&out, ',');
            jsonw_str(&out, r.outputs[i]);
            first = false;
        }
    gk_buf_puts(&out, "],");
    put_diags(&out, "errors", &r.diags, GK_SEV_ERROR);
    gk_buf_putc(&out, ',');
    put_diags(&out, "warnings", &r.diags, GK_SEV_WARNING);
    if (r.diags.dropped)
        gk_buf_printf(&out, ",\"more\":%zu", r.diags.dropped);
    gk_buf_puts(&out, ",\"stages_ms\":{");
    for (int i = 0; i < GK_STAGE_COUNT; i++)
        gk_buf_printf(&out, "%s\"%s\":%.1f", i ? "," : "", gk_stage_name(i), r.ms[i]);
    gk_buf_puts(&out, "}}\n");
    const char *p = out.ptr;
    size_t left = out.len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    gk_buf_release(&out);
    gk_report_result_release(&r);
    gk_template_free(own);
    close(fd);
    _exit(st == GK_OK ? 0 : 1);
}

static bool start_job(batch *b, job *j)
{
    int p[2];
    if (pipe(p) != 0)
        return false;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return false;
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        close(p[0]);
        /* The other children's pipes were inherited: close them so their
         * EOF is not delayed by us. */
        for (size_t i = 0; i < b->njobs; i++)
            if (b->jobs[i].fd >= 0)
                close(b->jobs[i].fd);
        run_child(b, j, p[1]);
    }
    close(p[1]);
    j->pid = pid;
    j->fd = p[0];
    j->status = JOB_RUNNING;
    j->start_ms = now_ms();
    return true;
}

/* ---------------- progress ---------------- */

static void progress(batch *b, const job *finished)
{
    if (b->quiet)
        return;
    size_t total = b->njobs;
    double elapsed = (now_ms() - b->t0) / 1000.0;
    double rate = elapsed > 0 ? (double)b->done / elapsed : 0;
    double left = rate > 0 ? (double)(total - b->done) / rate : 0;
    if (b->tty) {
        int width = 30;
        int filled = total ? (int)((double)width * (double)b->done / (double)total) : width;
        char bar[64];
        for (int i = 0; i < width; i++)
            bar[i] = i < filled ? '#' : '-';
        bar[width] = '\0';
        fprintf(stderr, GK_TR("\r[%s] %zu/%zu  %.1f 份/秒  剩余 %.0f 秒  失败 %zu ",
                              "\r[%s] %zu/%zu  %.1f/s  %.0f s left  %zu failed "),
                bar, b->done, total, rate, left, b->failed);
        fflush(stderr);
    } else if (finished) {
        const char *what = finished->status == JOB_OK ? GK_TR("完成", "ok")
                         : finished->status == JOB_UNCHANGED ? GK_TR("未变", "unchanged")
                         : GK_TR("失败", "FAILED");
        fprintf(stderr, "[%zu/%zu] %s %s (%.0f ms)\n", b->done, total, what,
                finished->input, finished->ms);
    }
}

/* ---------------- results ---------------- */

static void finish_job(batch *b, job *j, int wstatus)
{
    j->ms = now_ms() - j->start_ms;
    j->pid = 0;
    bool ok = WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0 &&
              strstr(j->result.ptr, "\"ok\":true");
    if (interrupted && !ok && (j->result.len == 0)) {
        j->status = JOB_INTERRUPTED;
    } else if (ok) {
        j->status = JOB_OK;
    } else {
        j->status = JOB_FAILED;
        b->failed++;
        if (j->result.len == 0) {
            /* The child died before reporting: say how. */
            gk_buf msg = GK_BUF_INIT;
            if (WIFSIGNALED(wstatus))
                gk_buf_printf(&msg, GK_TR("%s: 错误: 生成进程异常终止（信号 %d）",
                                          "%s: error: the rendering process died (signal %d)"),
                              j->input, WTERMSIG(wstatus));
            else
                gk_buf_printf(&msg, GK_TR("%s: 错误: 生成进程异常退出（%d）",
                                          "%s: error: the rendering process exited (%d)"),
                              j->input, WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
            gk_buf_puts(&j->result, "{\"ok\":false,\"department\":\"\",\"outputs\":[],\"errors\":[");
            jsonw_str(&j->result, msg.ptr);
            gk_buf_puts(&j->result, "],\"warnings\":[]}\n");
            gk_buf_release(&msg);
        }
    }
    b->done++;
    progress(b, j);
}

static void kill_children(batch *b, int sig)
{
    for (size_t i = 0; i < b->njobs; i++)
        if (b->jobs[i].status == JOB_RUNNING && b->jobs[i].pid > 0)
            kill(b->jobs[i].pid, sig);
}

static void run_pool(batch *b)
{
    size_t next = 0, running = 0;
    struct pollfd *pfd = gk_xcalloc((size_t)b->workers + 1, sizeof *pfd);
    job **pjob = gk_xcalloc((size_t)b->workers + 1, sizeof *pjob);
    for (;;) {
        while (!interrupted && running < (size_t)b->workers && next < b->njobs) {
            job *j = &b->jobs[next++];
            if (j->status != JOB_PENDING)
                continue;
            if (!start_job(b, j)) {
                j->status = JOB_FAILED;
                b->failed++;
                gk_buf_puts(&j->result, "{\"ok\":false,\"department\":\"\",\"outputs\":[],\"errors\":[");
                jsonw_str(&j->result, GK_TR("无法启动生成进程", "cannot start a rendering process"));
                gk_buf_puts(&j->result, "],\"warnings\":[]}\n");
                b->done++;
                continue;
            }
            running++;
        }
        if (running == 0)
            break;
        size_t n = 0;
        for (size_t i = 0; i < b->njobs && n < (size_t)b->workers + 1; i++)
            if (b->jobs[i].status == JOB_RUNNING && b->jobs[i].fd >= 0) {
                pfd[n].fd = b->jobs[i].fd;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                pjob[n++] = &b->jobs[i];
            }
        int pr = poll(pfd, n, 200);
        if (pr < 0 && errno != EINTR)
            break;
        if (interrupted)
            kill_children(b, SIGTERM);
        double t = now_ms();
        for (size_t i = 0; i < n; i++) {
            job *j = pjob[i];
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char chunk[8192];
                ssize_t r = read(j->fd, chunk, sizeof chunk);
                if (r > 0) {
                    gk_buf_put(&j->result, chunk, (size_t)r);
                    continue;
                }
                if (r < 0 && errno == EINTR)
                    continue;
                close(j->fd);
                j->fd = -1;
                int ws = 0;
                while (waitpid(j->pid, &ws, 0) < 0 && errno == EINTR)
                    ;
                running--;
                finish_job(b, j, ws);
            } else if (b->timeout_ms > 0 && t - j->start_ms > b->timeout_ms) {
                kill(j->pid, SIGKILL);
                gk_buf_clear(&j->result);
            }
        }
        if (b->tty && !b->quiet)
            progress(b, NULL);
    }
    free(pfd);
    free(pjob);
    if (interrupted)
        for (size_t i = 0; i < b->njobs; i++)
            if (b->jobs[i].status == JOB_PENDING)
                b->jobs[i].status = JOB_INTERRUPTED;
}

static const char *status_word(job_status s)
{
    switch (s) {
    case JOB_OK: return "ok";
    case JOB_FAILED: return "failed";
    case JOB_UNCHANGED: return "unchanged";
    case JOB_INTERRUPTED: return "interrupted";
    default: return "pending";
    }
}

static int write_outputs(batch *b, double total_ms)
{
    gk_buf rep = GK_BUF_INIT;
    size_t ok = 0, interrupted_n = 0;
    for (size_t i = 0; i < b->njobs; i++) {
        if (b->jobs[i].status == JOB_OK) ok++;
        if (b->jobs[i].status == JOB_INTERRUPTED) interrupted_n++;
    }
    gk_buf_printf(&rep, "{\n  \"program\": \"gongkai %s\",\n  \"total\": %zu,\n"
                  "  \"succeeded\": %zu,\n  \"failed\": %zu,\n  \"unchanged\": %zu,\n"
                  "  \"interrupted\": %zu,\n  \"seconds\": %.3f,\n  \"departments\": [\n",
                  GK_VERSION, b->njobs, ok, b->failed, b->unchanged, interrupted_n,
                  total_ms / 1000.0);
    for (size_t i = 0; i < b->njobs; i++) {
        job *j = &b->jobs[i];
        gk_buf_puts(&rep, "    {");
        jsonw_key(&rep, "input");
        jsonw_str(&rep, j->input);
        gk_buf_puts(&rep, ", ");
        jsonw_key(&rep, "status");
        jsonw_str(&rep, status_word(j->status));
        gk_buf_printf(&rep, ", \"ms\": %.1f", j->ms);
        if (j->result.len > 2 && j->result.ptr[0] == '{') {
            /* Splice the child's object in: its members follow ours. */
            size_t len = j->result.len;
            while (len > 0 && (j->result.ptr[len - 1] == '\n' || j->result.ptr[len - 1] == ' '))
                len--;
            if (len > 2 && j->result.ptr[len - 1] == '}') {
                gk_buf_puts(&rep, ", ");
                gk_buf_put(&rep, j->result.ptr + 1, len - 2);
            }
        }
        gk_buf_printf(&rep, "}%s\n", i + 1 < b->njobs ? "," : "");
    }
    gk_buf_puts(&rep, "  ]\n}\n");
    gk_buf path = GK_BUF_INIT;
    gk_buf_printf(&path, "%s/%s", b->out_dir, REPORT_FILE);
    gk_error err;
    int rc = 0;
    if (gk_write_file_atomic(path.ptr, rep.ptr, rep.len, &err)) {
        gk_buf m = GK_BUF_INIT;
        gk_error_format(&err, &m);
        fprintf(stderr, "gongkai batch: %s\n", m.ptr);
        gk_buf_release(&m);
        rc = GK_EXIT_IO;
    }
    gk_buf_release(&rep);

    if (b->incremental) {
        /* Keep the lines of departments that succeeded or were unchanged. */
        gk_buf st = GK_BUF_INIT;
        for (size_t i = 0; i < b->njobs; i++) {
            job *j = &b->jobs[i];
            if (j->status != JOB_OK && j->status != JOB_UNCHANGED)
                continue;
            gk_buf_printf(&st, "%s\t%s", j->hash, j->input);
            /* Outputs: from the child's result, or unchanged from before. */
            const char *o = strstr(j->result.ptr, "\"outputs\":[");
            if (o) {
                o += strlen("\"outputs\":[");
                while (*o == '"') {
                    const char *e = strchr(o + 1, '"');
                    if (!e)
                        break;
                    gk_buf_putc(&st, '\t');
                    gk_buf_put(&st, o + 1, (size_t)(e - o - 1));
                    o = e + 1;
                    if (*o == ',')
                        o++;
                }
            }
            gk_buf_putc(&st, '\n');
        }
        gk_buf_clear(&path);
        gk_buf_printf(&path, "%s/%s", b->out_dir, STATE_FILE);
        if (gk_write_file_atomic(path.ptr, st.ptr, st.len, &err))
            rc = GK_EXIT_IO;
        gk_buf_release(&st);
    }
    gk_buf_release(&path);
    return rc;
}

/* For unchanged departments the state line carries the outputs; copy
 * them into a result object so the report lists them. */
static void fill_unchanged(job *j, const char *state)
{
    gk_buf_puts(&j->result, "{\"ok\":true,\"department\":\"\",\"outputs\":[");
    const char *line = state ? strstr(state, j->hash) : NULL;
    bool first = true;
    if (line) {
        const char *in = line + 65;
        const char *o = in + strcspn(in, "\t\n");
        while (*o == '\t') {
            o++;
            size_t ol = strcspn(o, "\t\n");
            char *p = strndup(o, ol);
            if (!first)
                gk_buf_putc(&j->result, ',');
            jsonw_str(&j->result, p);
            free(p);
            first = false;
            o += ol;
        }
    }
    gk_buf_puts(&j->result, "],\"errors\":[],\"warnings\":[]}\n");
}

int gk_cmd_batch(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"formats", required_argument, NULL, 'f'},
        {"name", required_argument, NULL, 'n'},
        {"template", required_argument, NULL, 't'},
        {"incremental", no_argument, NULL, 'I'},
        {"shard", required_argument, NULL, 'S'},
        {"timeout", required_argument, NULL, 'T'},
        {"strict", no_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    batch b = {0};
    b.formats = GK_FORMAT_PDF | GK_FORMAT_DOCX;
    b.workers = (int)sysconf(_SC_NPROCESSORS_ONLN);
    b.timeout_ms = 300e3;
    int shard_k = 0, shard_n = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:j:f:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': b.out_dir = optarg; break;
        case 'j': b.workers = atoi(optarg); break;
        case 'f':
            if (!gk_format_parse(optarg, &b.formats)) {
                fprintf(stderr, GK_TR("gongkai batch: 未知格式“%s”（可用 txt,pdf,docx）\n",
                                      "gongkai batch: unknown format '%s' (txt,pdf,docx)\n"), optarg);
                return GK_EXIT_USAGE;
            }
            break;
        case 'n': b.name_pattern = optarg; break;
        case 't': b.tmpl_path = optarg; break;
        case 'I': b.incremental = true; break;
        case 'S':
            if (sscanf(optarg, "%d/%d", &shard_k, &shard_n) != 2 || shard_n < 1 ||
                shard_k < 1 || shard_k > shard_n) {
                fprintf(stderr, GK_TR("gongkai batch: --shard 应为 K/N（1 ≤ K ≤ N）\n",
                                      "gongkai batch: --shard takes K/N with 1 <= K <= N\n"));
                return GK_EXIT_USAGE;
            }
            break;
        case 'T': b.timeout_ms = atof(optarg) * 1000.0; break;
        case 's': b.strict = true; break;
        case 'q': b.quiet = true; break;
        case 'h': usage(stdout); return GK_EXIT_OK;
        default: usage(stderr); return GK_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || !b.out_dir) {
        usage(stderr);
        return GK_EXIT_USAGE;
    }
    if (b.workers < 1)
        b.workers = 1;
    if (b.workers > 256)
        b.workers = 256;
    const char *src = argv[optind];
    struct stat st;
    if (stat(src, &st) != 0) {
        fprintf(stderr, GK_TR("gongkai batch: %s: %s\n", "gongkai batch: %s: %s\n"),
                src, strerror(errno));
        return GK_EXIT_IO;
    }
    int rc = S_ISDIR(st.st_mode) ? collect_dir(&b, src) : collect_manifest(&b, src);
    if (rc)
        return rc;
    if (shard_n)
        apply_shard(&b, shard_k, shard_n);

    if (make_dirs(b.out_dir) != 0) {
        fprintf(stderr, GK_TR("gongkai batch: %s: 无法创建输出目录：%s\n",
                              "gongkai batch: %s: cannot create the output folder: %s\n"),
                b.out_dir, strerror(errno));
        return GK_EXIT_IO;
    }
    if (access(b.out_dir, W_OK | X_OK) != 0) {
        fprintf(stderr, GK_TR("gongkai batch: %s: 输出目录不可写：%s\n",
                              "gongkai batch: %s: the output folder is not writable: %s\n"),
                b.out_dir, strerror(errno));
        return GK_EXIT_IO;
    }
    b.tty = isatty(STDERR_FILENO);

    /* Load the layouts once; children inherit them. */
    gk_error err;
    if (b.tmpl_path) {
        b.override_tmpl = gk_template_load(b.tmpl_path, &err);
        if (!b.override_tmpl) {
            gk_buf m = GK_BUF_INIT;
            gk_error_format(&err, &m);
            fprintf(stderr, "%s\n", m.ptr);
            gk_buf_release(&m);
            return GK_EXIT_DATA;
        }
    } else {
        for (int k = 0; k < 2; k++) {
            gk_buf p = GK_BUF_INIT;
            gk_template_default_path((gk_kind)k, &p);
            if (access(p.ptr, R_OK) == 0)
                b.kind_tmpl[k] = gk_template_load(p.ptr, &err);
            gk_buf_release(&p);
        }
    }

    /* Warm what the back ends keep per process (chart fonts and glyphs):
     * every worker is forked from here and starts with them. */
    if (b.formats & GK_FORMAT_DOCX)
        gk_render_warm();

    char *state = NULL;
    if (b.incremental) {
        compute_env_hash(&b);
        gk_buf sp = GK_BUF_INIT;
        gk_buf_printf(&sp, "%s/%s", b.out_dir, STATE_FILE);
        size_t len;
        if (gk_read_file(sp.ptr, 64u << 20, &state, &len, &err) != GK_OK)
            state = NULL;
        gk_buf_release(&sp);
        for (size_t i = 0; i < b.njobs; i++) {
            compute_job_hash(&b, &b.jobs[i]);
            if (state_unchanged(state, &b.jobs[i])) {
                b.jobs[i].status = JOB_UNCHANGED;
                fill_unchanged(&b.jobs[i], state);
                b.unchanged++;
                b.done++;
            }
        }
    }

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    struct sigaction old_int, old_term;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    b.t0 = now_ms();
    run_pool(&b);
    double total_ms = now_ms() - b.t0;
    if (b.tty && !b.quiet)
        fputc('\n', stderr);

    int wrc = write_outputs(&b, total_ms);
    size_t ok = 0;
    for (size_t i = 0; i < b.njobs; i++)
        if (b.jobs[i].status == JOB_OK)
            ok++;
    size_t stopped = 0;
    for (size_t i = 0; i < b.njobs; i++)
        if (b.jobs[i].status == JOB_INTERRUPTED)
            stopped++;
    /* --quiet (cron, cluster jobs): silent when everything is done */
    if (!b.quiet || b.failed || stopped || wrc) {
        fprintf(stderr, GK_TR("共 %zu 个部门：成功 %zu，失败 %zu，未变 %zu",
                              "%zu departments: %zu succeeded, %zu failed, %zu unchanged"),
                b.njobs, ok, b.failed, b.unchanged);
        if (stopped)
            fprintf(stderr, GK_TR("，中断未完成 %zu", ", %zu not done (interrupted)"), stopped);
        fprintf(stderr, GK_TR("；用时 %.1f 秒。详见 %s/%s\n", "; %.1f s. See %s/%s\n"),
                total_ms / 1000.0, b.out_dir, REPORT_FILE);
    }
    for (size_t i = 0; i < b.njobs; i++) {
        job *j = &b.jobs[i];
        if (j->status != JOB_FAILED)
            continue;
        const char *e = strstr(j->result.ptr, "\"errors\":[\"");
        if (e) {
            e += strlen("\"errors\":[\"");
            size_t n = 0;
            while (e[n] && !(e[n] == '"' && e[n - 1] != '\\'))
                n++;
            fprintf(stderr, GK_TR("  失败：%.*s\n", "  failed: %.*s\n"), (int)n, e);
        } else {
            fprintf(stderr, GK_TR("  失败：%s\n", "  failed: %s\n"), j->input);
        }
    }

    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    for (size_t i = 0; i < b.njobs; i++) {
        free(b.jobs[i].input);
        free(b.jobs[i].tmpl_path);
        gk_buf_release(&b.jobs[i].result);
    }
    free(b.jobs);
    free(state);
    gk_template_free(b.kind_tmpl[0]);
    gk_template_free(b.kind_tmpl[1]);
    gk_template_free(b.override_tmpl);
    if (interrupted)
        return 130;
    if (wrc)
        return wrc;
    return b.failed ? GK_EXIT_DATA : GK_EXIT_OK;
}
