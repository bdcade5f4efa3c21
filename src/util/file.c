/* Whole-file reads and atomic writes.  See util.h. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/util.h"

gk_status gk_read_file(const char *path, size_t max, char **data, size_t *len,
                       gk_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                            GK_TR("无法打开文件：%s", "cannot open file: %s"),
                            strerror(errno));
    gk_buf b = GK_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            if (f != stdin)
                fclose(f);
            gk_buf_release(&b);
            return gk_error_set(err, GK_ERR_LIMIT, path, 0, 0, NULL,
                                GK_TR("文件超过 %zu 字节的上限",
                                      "file exceeds the limit of %zu bytes"),
                                max);
        }
        gk_buf_put(&b, chunk, n);
    }
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        gk_buf_release(&b);
        return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                            GK_TR("读取失败", "read failed"));
    }
    *data = gk_buf_detach(&b, len);
    return GK_OK;
}

static gk_status io_error(gk_error *err, const char *path, const char *zh,
                          const char *en, int e)
{
    return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL, GK_TR("%s：%s", "%s: %s"),
                        GK_TR(zh, en), strerror(e));
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = ENOSPC;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The folder of `path` ("." when it has none). */
static void dir_of(const char *path, gk_buf *dir)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        gk_buf_puts(dir, ".");
    else if (slash == path)
        gk_buf_puts(dir, "/");
    else
        gk_buf_put(dir, path, (size_t)(slash - path));
}

/* Write through an unnamed file (O_TMPFILE): if the process is killed
 * while writing, nothing at all is left in the folder.  The file gets a
 * name only when complete, and that name is renamed over the target at
 * once.  Returns 1 when O_TMPFILE is not supported here. */
static int write_tmpfile(const char *path, const void *data, size_t len,
                         gk_error *err, gk_status *st)
{
#ifdef O_TMPFILE
    gk_buf dir = GK_BUF_INIT;
    dir_of(path, &dir);
    int fd = open(dir.ptr, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    gk_buf_release(&dir);
    if (fd < 0) {
        if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
            return 1;
        *st = io_error(err, path, "无法在输出目录中创建文件",
                       "cannot create a file in the output folder", errno);
        return 0;
    }
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        *st = io_error(err, path, "写入失败", "write failed", e);
        return 0;
    }
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    gk_buf tmp = GK_BUF_INIT;
    for (unsigned attempt = 0;; attempt++) {
        gk_buf_clear(&tmp);
        gk_buf_printf(&tmp, "%s.tmp.%ld.%u", path, (long)getpid(), attempt);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp.ptr, AT_SYMLINK_FOLLOW) == 0)
            break;
        if (errno != EEXIST || attempt > 100) {
            int e = errno;
            close(fd);
            gk_buf_release(&tmp);
            if (e == ENOENT || e == EPERM || e == EXDEV)
                return 1; /* no /proc: fall back to a named temporary */
            *st = io_error(err, path, "写入失败", "write failed", e);
            return 0;
        }
    }
    close(fd);
    if (rename(tmp.ptr, path) != 0) {
        int e = errno;
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        *st = io_error(err, path, "无法替换文件", "cannot replace the file", e);
        return 0;
    }
    gk_buf_release(&tmp);
    *st = GK_OK;
    return 0;
#else
    (void)path; (void)data; (void)len; (void)err; (void)st;
    return 1;
#endif
}

gk_status gk_write_file_atomic(const char *path, const void *data, size_t len,
                               gk_error *err)
{
    if (strcmp(path, "-") == 0) {
        if (write_all(STDOUT_FILENO, data, len) != 0)
            return io_error(err, "-", "写入标准输出失败",
                            "writing to standard output failed", errno);
        return GK_OK;
    }
    gk_status st = GK_OK;
    if (write_tmpfile(path, data, len, err, &st) == 0)
        return st;

    /* Fallback: a named temporary in the same folder, then rename. */
    gk_buf tmp = GK_BUF_INIT;
    gk_buf_printf(&tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp.ptr);
    if (fd < 0) {
        st = io_error(err, path, "无法创建临时文件",
                      "cannot create a temporary file", errno);
        gk_buf_release(&tmp);
        return st;
    }
    if (write_all(fd, data, len) != 0 || fchmod(fd, 0644) != 0 ||
        fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        return io_error(err, path, "写入失败", "write failed", e);
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        return io_error(err, path, "写入失败", "write failed", e);
    }
    if (rename(tmp.ptr, path) != 0) {
        int e = errno;
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        return io_error(err, path, "无法替换文件", "cannot replace the file", e);
    }
    gk_buf_release(&tmp);
    return GK_OK;
}
