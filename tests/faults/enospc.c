/* A full disk on demand, for the fault tests: preloaded (LD_PRELOAD) into
 * tern, it makes writes to regular files fail with ENOSPC once ENOSPC_AFTER
 * bytes have been written by the process; with ENOSPC_REPORT set, the bytes
 * written in all are saved there at exit (to size a budget). Only what a
 * full disk does is imitated: the write that does not fit fails whole.
 * ENOSPC_UNDER=DIR limits only files below DIR (one folder's disk is full,
 * the rest writes on), ENOSPC_WHILE=FILE only while FILE exists (space
 * freed without restarting the program). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static long long budget = -1, used = 0;

/* Whether a write to fd falls under ENOSPC_UNDER and ENOSPC_WHILE. */
static int limited(int fd) {
    const char* under = getenv("ENOSPC_UNDER");
    const char* flag = getenv("ENOSPC_WHILE");
    struct stat st;
    if (flag && stat(flag, &st) != 0) return 0;
    if (under) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        const ssize_t len = readlink(link, path, sizeof path - 1);
        if (len < 0) return 0;
        path[len] = '\0';
        if (strncmp(path, under, strlen(under)) != 0) return 0;
    }
    return 1;
}

static int fits(int fd, size_t n) {
    struct stat st;
    if (budget == -1) {
        const char* b = getenv("ENOSPC_AFTER");
        budget = b ? atoll(b) : -2;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return 1;
    if (!limited(fd)) return 1;
    if (budget >= 0 && used + (long long)n > budget) {
        errno = ENOSPC;
        return 0;
    }
    used += (long long)n;
    return 1;
}

typedef ssize_t (*write_fn)(int, const void*, size_t);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec*, int);
#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void* buf, size_t n) {
    REAL(write, write_fn);
    return fits(fd, n) ? real_write(fd, buf, n) : -1;
}
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
    REAL(pwrite, pwrite_fn);
    return fits(fd, n) ? real_pwrite(fd, buf, n, off) : -1;
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
    REAL(pwrite64, pwrite_fn);
    return fits(fd, n) ? real_pwrite64(fd, buf, n, off) : -1;
}
ssize_t writev(int fd, const struct iovec* iov, int count) {
    REAL(writev, writev_fn);
    size_t n = 0;
    for (int i = 0; i < count; ++i) n += iov[i].iov_len;
    return fits(fd, n) ? real_writev(fd, iov, count) : -1;
}

__attribute__((destructor)) static void report(void) {
    const char* path = getenv("ENOSPC_REPORT");
    if (!path) return;
    FILE* f = fopen(path, "w");
    if (f) {
        fprintf(f, "%lld\n", used);
        fclose(f);
    }
}
