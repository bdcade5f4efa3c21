/* Unit tests of src/util/timing.c: the benchmark's stage clocks. */
#include <check.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/timing.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

START_TEST(disabled_records_nothing)
{
    double ms[GK_TIMER_COUNT];
    gk_timing_enable(false);
    ck_assert(!gk_timing_enabled());
    double t0 = gk_timing_begin();
    ck_assert(t0 == 0);
    sleep_ms(2);
    gk_timing_end(GK_TIMER_LAYOUT, t0);
    ck_assert(!gk_timing_take(ms));
    for (int i = 0; i < GK_TIMER_COUNT; i++)
        ck_assert(ms[i] == 0);
}
END_TEST

START_TEST(enabled_accumulates_and_take_clears)
{
    double ms[GK_TIMER_COUNT];
    gk_timing_enable(true);
    gk_timing_take(ms); /* start clean */
    for (int k = 0; k < 2; k++) {
        double t0 = gk_timing_begin();
        sleep_ms(3);
        gk_timing_end(GK_TIMER_ZIP, t0);
    }
    gk_timing_end((gk_timer)GK_TIMER_COUNT, gk_timing_begin()); /* ignored */
    gk_timing_end((gk_timer)-1, gk_timing_begin());             /* ignored */
    ck_assert(gk_timing_take(ms));
    ck_assert_msg(ms[GK_TIMER_ZIP] >= 5.9, "zip %.3f ms", ms[GK_TIMER_ZIP]);
    ck_assert_msg(ms[GK_TIMER_ZIP] < 5000, "zip %.3f ms", ms[GK_TIMER_ZIP]);
    for (int i = 0; i < GK_TIMER_COUNT; i++)
        if (i != GK_TIMER_ZIP)
            ck_assert(ms[i] == 0);
    ck_assert(!gk_timing_take(ms));
    ck_assert(ms[GK_TIMER_ZIP] == 0);
    gk_timing_enable(false);
}
END_TEST

static void *other_thread(void *arg)
{
    (void)arg;
    double ms[GK_TIMER_COUNT];
    /* Enabled in the main thread, not here. */
    bool was = gk_timing_enabled();
    gk_timing_end(GK_TIMER_PDF_SAVE, gk_timing_begin());
    bool any = gk_timing_take(ms);
    return (void *)(intptr_t)(was || any);
}

START_TEST(clocks_are_per_thread)
{
    double ms[GK_TIMER_COUNT];
    gk_timing_enable(true);
    gk_timing_take(ms);
    double t0 = gk_timing_begin();
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, other_thread, NULL), 0);
    void *res = NULL;
    ck_assert_int_eq(pthread_join(th, &res), 0);
    ck_assert_msg(res == NULL, "the other thread saw this thread's clocks");
    gk_timing_end(GK_TIMER_FONTS, t0);
    ck_assert(gk_timing_take(ms));
    ck_assert(ms[GK_TIMER_FONTS] >= 0);
    ck_assert(ms[GK_TIMER_PDF_SAVE] == 0);
    gk_timing_enable(false);
}
END_TEST

START_TEST(names_are_distinct)
{
    for (int i = 0; i < GK_TIMER_COUNT; i++) {
        const char *a = gk_timer_name((gk_timer)i);
        ck_assert_str_ne(a, "?");
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(a, gk_timer_name((gk_timer)j));
    }
    ck_assert_str_eq(gk_timer_name(GK_TIMER_COUNT), "?");
    ck_assert_str_eq(gk_timer_name(GK_TIMER_LAYOUT), "layout");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timing");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, disabled_records_nothing);
    tcase_add_test(tc, enabled_accumulates_and_take_clears);
    tcase_add_test(tc, clocks_are_per_thread);
    tcase_add_test(tc, names_are_distinct);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
