/* Where the shipped templates, catalog and font map live.  See util.h. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongkai/util.h"

#ifndef GK_INSTALLED_DATADIR
#define GK_INSTALLED_DATADIR "/usr/local/share/gongkai"
#endif

static char share_dir[PATH_MAX];
static pthread_once_t share_once = PTHREAD_ONCE_INIT;

static int has_templates(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(p, sizeof p, "%s/templates", dir) >= sizeof p)
        return 0;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void find_share_dir(void)
{
    const char *env = getenv("GONGKAI_DATADIR");
    if (env && *env && strlen(env) < sizeof share_dir) {
        strcpy(share_dir, env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* build/gongkai, build/asan/gongkai, build/bench/gongkai: walk up
         * at most three folders looking for templates/. */
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash || slash == exe)
                break;
            *slash = '\0';
            char *parent = strrchr(exe, '/');
            if (!parent)
                break;
            char cand[PATH_MAX];
            size_t len = (size_t)(parent - exe);
            memcpy(cand, exe, len);
            cand[len] = '\0';
            if (has_templates(cand)) {
                strcpy(share_dir, cand);
                return;
            }
        }
    }
    strcpy(share_dir, GK_INSTALLED_DATADIR);
}

const char *gk_share_dir(void)
{
    pthread_once(&share_once, find_share_dir);
    return share_dir;
}
