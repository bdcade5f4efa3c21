/* Unit tests of src/util: buffers, arena, errors, UTF-8, atomic files. */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/util.h"

START_TEST(buf_grows_and_stays_terminated)
{
    gk_buf b = GK_BUF_INIT;
    ck_assert_ptr_nonnull(b.ptr);
    ck_assert_str_eq(b.ptr, "");
    for (int i = 0; i < 10000; i++)
        gk_buf_printf(&b, "%d,", i % 10);
    ck_assert_uint_eq(b.len, 20000);
    ck_assert_int_eq(b.ptr[b.len], '\0');
    gk_buf_truncate(&b, 4);
    ck_assert_str_eq(b.ptr, "0,1,");
    size_t n;
    char *p = gk_buf_detach(&b, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_ptr_eq(b.ptr, gk__buf_empty);
    free(p);
    gk_buf_release(&b);
}
END_TEST

START_TEST(arena_aligns_zeroes_and_handles_large)
{
    gk_arena a = GK_ARENA_INIT;
    for (int i = 0; i < 1000; i++) {
        char *p = gk_arena_alloc(&a, (size_t)(i % 37) + 1);
        ck_assert_int_eq((int)((uintptr_t)p % _Alignof(max_align_t)), 0);
        ck_assert_int_eq(p[0], 0);
    }
    char *big = gk_arena_alloc(&a, 1 << 20);
    big[(1 << 20) - 1] = 'x';
    ck_assert_str_eq(gk_arena_printf(&a, "%s-%d", "年", 7), "年-7");
    gk_vec v = {0};
    for (int i = 0; i < 100; i++)
        gk_vec_push(&a, &v, (void *)(intptr_t)i);
    ck_assert_uint_eq(v.len, 100);
    ck_assert_int_eq((int)(intptr_t)v.items[99], 99);
    gk_arena_release(&a);
}
END_TEST

START_TEST(error_formats_position_and_path)
{
    gk_set_lang(GK_LANG_ZH);
    gk_error e;
    gk_buf b = GK_BUF_INIT;
    gk_error_set(&e, GK_ERR_JSON_SYNTAX, "a.json", 3, 14, NULL, "缺少“,”");
    gk_error_format(&e, &b);
    ck_assert_str_eq(b.ptr, "a.json:3:14: 错误: 缺少“,”");
    gk_buf_clear(&b);
    gk_error_set(&e, GK_ERR_CHECK, "a.json", 0, 0, "$.tables.t[3].basic", "x ≠ y");
    gk_error_format(&e, &b);
    ck_assert_str_eq(b.ptr, "a.json: $.tables.t[3].basic: 错误: x ≠ y");
    gk_set_lang(GK_LANG_EN);
    gk_buf_clear(&b);
    gk_error_format(&e, &b);
    ck_assert_str_eq(b.ptr, "a.json: $.tables.t[3].basic: error: x ≠ y");
    gk_set_lang(GK_LANG_ZH);
    gk_buf_release(&b);
}
END_TEST

START_TEST(diags_cap_and_count)
{
    gk_diags d = GK_DIAGS_INIT;
    d.max = 3;
    gk_error e;
    gk_error_set(&e, GK_ERR_CHECK, "f", 0, 0, NULL, "m");
    for (int i = 0; i < 10; i++)
        gk_diags_add(&d, i % 2 ? GK_SEV_WARNING : GK_SEV_ERROR, &e);
    ck_assert_uint_eq(d.len, 3);
    ck_assert_uint_eq(d.errors, 5);
    ck_assert_uint_eq(d.warnings, 5);
    ck_assert_uint_eq(d.dropped, 7);
    gk_diags_release(&d);
}
END_TEST

START_TEST(utf8_rejects_invalid)
{
    size_t bad;
    ck_assert(gk_utf8_valid("万元", strlen("万元"), &bad));
    ck_assert(!gk_utf8_valid("a\xC0\xAF", 3, &bad)); /* overlong */
    ck_assert_uint_eq(bad, 1);
    ck_assert(!gk_utf8_valid("\xED\xA0\x80", 3, &bad)); /* surrogate */
    ck_assert(!gk_utf8_valid("\xE4\xB8", 2, &bad));     /* truncated */
    ck_assert(!gk_utf8_valid("\xF4\x90\x80\x80", 4, &bad)); /* > U+10FFFF */
    size_t i = 0;
    ck_assert_int_eq(gk_utf8_next("𠮷", 4, &i), 0x20BB7);
    gk_buf b = GK_BUF_INIT;
    gk_utf8_put(&b, 0x4E07);
    gk_utf8_put(&b, 0x20BB7);
    ck_assert_str_eq(b.ptr, "万𠮷");
    gk_buf_release(&b);
}
END_TEST

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/gk-util-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

START_TEST(atomic_write_replaces_and_leaves_nothing)
{
    make_tmpdir();
    char path[128], *data;
    size_t len;
    gk_error e;
    snprintf(path, sizeof path, "%s/r.pdf", tmpdir);
    ck_assert_int_eq(gk_write_file_atomic(path, "old", 3, &e), GK_OK);
    ck_assert_int_eq(gk_write_file_atomic(path, "new!", 4, &e), GK_OK);
    ck_assert_int_eq(gk_read_file(path, 100, &data, &len, &e), GK_OK);
    ck_assert_uint_eq(len, 4);
    ck_assert(memcmp(data, "new!", 4) == 0);
    free(data);
    ck_assert_int_eq(count_entries(tmpdir), 1);
    unlink(path);
    rmdir(tmpdir);
}
END_TEST

START_TEST(atomic_write_full_disk_keeps_old_file)
{
    make_tmpdir();
    char path[128], *data;
    size_t len;
    gk_error e;
    snprintf(path, sizeof path, "%s/r.pdf", tmpdir);
    ck_assert_int_eq(gk_write_file_atomic(path, "good", 4, &e), GK_OK);
    /* A "full disk": writes beyond 1 KiB fail with EFBIG. */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim = {1024, 1024};
    getrlimit(RLIMIT_FSIZE, &old);
    lim.rlim_max = old.rlim_max;
    setrlimit(RLIMIT_FSIZE, &lim);
    char *big = calloc(1, 100000);
    gk_status st = gk_write_file_atomic(path, big, 100000, &e);
    setrlimit(RLIMIT_FSIZE, &old);
    free(big);
    ck_assert_int_eq(st, GK_ERR_IO);
    ck_assert_ptr_nonnull(strstr(e.file, "r.pdf"));
    ck_assert_int_eq(gk_read_file(path, 100, &data, &len, &e), GK_OK);
    ck_assert(len == 4 && memcmp(data, "good", 4) == 0);
    free(data);
    ck_assert_int_eq(count_entries(tmpdir), 1);
    unlink(path);
    rmdir(tmpdir);
}
END_TEST

START_TEST(atomic_write_unwritable_folder)
{
    gk_error e;
    gk_status st = gk_write_file_atomic("/nonexistent-dir/x.pdf", "x", 1, &e);
    ck_assert_int_eq(st, GK_ERR_IO);
    ck_assert_str_eq(e.file, "/nonexistent-dir/x.pdf");
    ck_assert(strlen(e.msg) > 0);
}
END_TEST

START_TEST(atomic_write_several_together)
{
    make_tmpdir();
    char a[128], b[128], *data;
    size_t len, published = 99;
    gk_error e;
    snprintf(a, sizeof a, "%s/r.pdf", tmpdir);
    snprintf(b, sizeof b, "%s/r.docx", tmpdir);
    const char *paths[2] = {a, b};
    const void *bytes[2] = {"pdf!", "docx!"};
    size_t lens[2] = {4, 5};
    ck_assert_int_eq(gk_write_files_atomic(2, paths, bytes, lens, &published, &e), GK_OK);
    ck_assert_uint_eq(published, 2);
    ck_assert_int_eq(gk_read_file(b, 100, &data, &len, &e), GK_OK);
    ck_assert(len == 5 && memcmp(data, "docx!", 5) == 0);
    free(data);
    ck_assert_int_eq(count_entries(tmpdir), 2);

    /* The second cannot be written: neither is replaced, nothing left. */
    const char *bad[2] = {a, "/nonexistent-dir/r.docx"};
    const void *nb[2] = {"new", "new"};
    size_t nl[2] = {3, 3};
    gk_status st = gk_write_files_atomic(2, bad, nb, nl, &published, &e);
    ck_assert_int_eq(st, GK_ERR_IO);
    ck_assert_uint_eq(published, 0);
    ck_assert_str_eq(e.file, "/nonexistent-dir/r.docx");
    ck_assert_int_eq(gk_read_file(a, 100, &data, &len, &e), GK_OK);
    ck_assert(len == 4 && memcmp(data, "pdf!", 4) == 0);
    free(data);
    ck_assert_int_eq(count_entries(tmpdir), 2);
    unlink(a);
    unlink(b);
    rmdir(tmpdir);
}
END_TEST

START_TEST(read_file_refuses_oversize)
{
    char *data;
    size_t len;
    gk_error e;
    ck_assert_int_eq(gk_read_file("/etc/passwd", 4, &data, &len, &e), GK_ERR_LIMIT);
    ck_assert_ptr_null(data);
    ck_assert_int_eq(gk_read_file("/no/such/file", 4, &data, &len, &e), GK_ERR_IO);
}
END_TEST

START_TEST(sha256_known_vectors)
{
    char hex[65];
    gk_sha256 s;
    gk_sha256_init(&s);
    gk_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    gk_sha256_init(&s);
    gk_sha256_update(&s, "abc", 3);
    gk_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    gk_sha256_init(&s);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    for (size_t i = 0; i < strlen(m); i++)
        gk_sha256_update(&s, m + i, 1);
    gk_sha256_hex(&s, hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, buf_grows_and_stays_terminated);
    tcase_add_test(tc, arena_aligns_zeroes_and_handles_large);
    tcase_add_test(tc, error_formats_position_and_path);
    tcase_add_test(tc, diags_cap_and_count);
    tcase_add_test(tc, utf8_rejects_invalid);
    tcase_add_test(tc, atomic_write_replaces_and_leaves_nothing);
    tcase_add_test(tc, atomic_write_full_disk_keeps_old_file);
    tcase_add_test(tc, atomic_write_unwritable_folder);
    tcase_add_test(tc, atomic_write_several_together);
    tcase_add_test(tc, read_file_refuses_oversize);
    tcase_add_test(tc, sha256_known_vectors);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
