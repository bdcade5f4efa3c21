/* Whole-file reads and atomic writes.  See util.h. */
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

gk_status gk_write_file_atomic(const char *path, const void *data, size_t len,
                               gk_error *err)
{
    gk_buf tmp = GK_BUF_INIT;
    gk_buf_printf(&tmp, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp.ptr);
    if (fd < 0) {
        gk_status st = gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                                    GK_TR("无法创建临时文件：%s",
                                          "cannot create a temporary file: %s"),
                                    strerror(errno));
        gk_buf_release(&tmp);
        return st;
    }
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp.ptr);
            gk_buf_release(&tmp);
            return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                                GK_TR("写入失败：%s", "write failed: %s"),
                                strerror(e ? e : ENOSPC));
        }
        p += w;
        left -= (size_t)w;
    }
    fchmod(fd, 0644);
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                            GK_TR("写入失败：%s", "write failed: %s"), strerror(e));
    }
    if (rename(tmp.ptr, path) != 0) {
        int e = errno;
        unlink(tmp.ptr);
        gk_buf_release(&tmp);
        return gk_error_set(err, GK_ERR_IO, path, 0, 0, NULL,
                            GK_TR("无法替换文件：%s", "cannot replace the file: %s"),
                            strerror(e));
    }
    gk_buf_release(&tmp);
    return GK_OK;
}
