/* data_dir.c: paths in the data directory and small file-system helpers. */
#define _GNU_SOURCE
#include "data_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int svc_graph_name_check(const char *name, char msg[256])
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64) {
        snprintf(msg, 256, "a graph name must be 1 to 64 characters of A-Z a-z 0-9 _ -, got %zu",
                 n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            if (c >= 32 && c < 127)
                snprintf(msg, 256,
                         "graph name '%.64s' has the character '%c' (byte 0x%02x); use only A-Z "
                         "a-z 0-9 _ -",
                         name, c, (unsigned char)c);
            else
                snprintf(msg, 256,
                         "graph name '%.64s' has a byte that is not a printable ASCII character "
                         "(0x%02x); use only A-Z a-z 0-9 _ -",
                         name, (unsigned char)c);
            return -1;
        }
    }
    return 0;
}

void svc_path_db(char out[PATH_MAX], const char *root)
{
    snprintf(out, PATH_MAX, "%s/hgc.db", root);
}

void svc_path_graph_dir(char out[PATH_MAX], const char *root, const char *graph)
{
    snprintf(out, PATH_MAX, "%s/graphs/%s", root, graph);
}

void svc_path_version_dir(char out[PATH_MAX], const char *root, const char *graph, int64_t version)
{
    snprintf(out, PATH_MAX, "%s/graphs/%s/v%lld", root, graph, (long long)version);
}

void svc_path_snapshot(char out[PATH_MAX], const char *root, const char *graph, int64_t version)
{
    snprintf(out, PATH_MAX, "%s/graphs/%s/v%lld/graph.hgcg", root, graph, (long long)version);
}

int64_t svc_version_of_name(const char *name)
{
    /* Digits only after the 'v', no sign, no leading zero: one spelling
     * per version, so GC never mistakes another name for one. */
    if (name[0] != 'v' || name[1] < '1' || name[1] > '9')
        return -1;
    int64_t v = 0;
    for (const char *p = name + 1; *p; p++) {
        if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

void svc_path_delta(char out[PATH_MAX], const char *root, const char *graph, int64_t version)
{
    snprintf(out, PATH_MAX, "%s/graphs/%s/v%lld.delta", root, graph, (long long)version);
}

int64_t svc_delta_version_of_name(const char *name)
{
    /* One spelling per version, as for version folders ("v0" included). */
    static const char suffix[] = ".delta";
    size_t len = strlen(name), sl = sizeof suffix - 1;
    if (len < 2 + sl || name[0] != 'v' || strcmp(name + len - sl, suffix) != 0)
        return -1;
    if (name[1] == '0')
        return len == 2 + sl ? 0 : -1;
    char digits[24];
    if (len - sl >= sizeof digits)
        return -1;
    memcpy(digits, name, len - sl);
    digits[len - sl] = '\0';
    return svc_version_of_name(digits);
}

void svc_path_results(char out[PATH_MAX], const char *root, const char *graph, int64_t task_id)
{
    snprintf(out, PATH_MAX, "%s/results/%s/%lld", root, graph, (long long)task_id);
}

void svc_path_log(char out[PATH_MAX], const char *root, const char *graph, int64_t task_id)
{
    snprintf(out, PATH_MAX, "%s/logs/%s/%lld.log", root, graph, (long long)task_id);
}

int svc_sync_dir_of(const char *path)
{
    return hgc_fsync_parent(path) < 0 ? -errno : 0;
}

int svc_data_dir_init(const char *root, char msg[256])
{
    static const char *const subs[] = {"", "/graphs", "/results", "/logs"};
    char p[PATH_MAX];
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        snprintf(p, sizeof p, "%s%s", root, subs[i]);
        int rc = svc_mkdirs(p, 1);
        if (rc < 0) {
            snprintf(msg, 256, "cannot create %s: %s", p, strerror(-rc));
            return rc;
        }
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int svc_remove_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT ? 0 : -errno;
    return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 ? -errno : 0;
}

static __thread int64_t tree_bytes;

static int add_size(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (flag == FTW_F)
        tree_bytes += (int64_t)sb->st_size;
    return 0;
}

int64_t svc_tree_size(const char *path)
{
    tree_bytes = 0;
    if (nftw(path, add_size, 16, FTW_PHYS) < 0)
        return 0;
    return tree_bytes;
}
