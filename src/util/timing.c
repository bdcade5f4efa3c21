/* Stage clocks for the benchmark.  See src/util/timing.h. */
#include <string.h>
#include <time.h>

#include "util/timing.h"

static _Thread_local bool on;
static _Thread_local bool any;
static _Thread_local double total[GK_TIMER_COUNT];

static const char *const names[GK_TIMER_COUNT] = {
    "fonts", "layout", "chart_geom", "subset", "hpdf_font", "pdf_draw",
    "pdf_save", "pdf_deflate", "chart_png", "png_draw", "png_encode", "docx_xml", "zip",
    "template_load",
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void gk_timing_enable(bool enable)
{
    on = enable;
}

bool gk_timing_enabled(void)
{
    return on;
}

double gk_timing_begin(void)
{
    return on ? now_ms() : 0;
}

void gk_timing_end(gk_timer t, double t0)
{
    if (!on || (unsigned)t >= GK_TIMER_COUNT)
        return;
    total[t] += now_ms() - t0;
    any = true;
}

void gk_timing_add(gk_timer t, double ms)
{
    if (!on || (unsigned)t >= GK_TIMER_COUNT)
        return;
    total[t] += ms;
    any = true;
}

bool gk_timing_take(double ms[GK_TIMER_COUNT])
{
    memcpy(ms, total, sizeof total);
    memset(total, 0, sizeof total);
    bool was = any;
    any = false;
    return was;
}

const char *gk_timer_name(gk_timer t)
{
    return (unsigned)t < GK_TIMER_COUNT ? names[t] : "?";
}
