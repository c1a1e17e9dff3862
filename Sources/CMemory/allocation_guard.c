// The allocation guard: see CMemory.h. Only on glibc, whose allocator is reached through its
// __libc_* entry points so that the wrappers below can stand in front of it in the executable.
#define _GNU_SOURCE
#include "CMemory.h"
#include <stdlib.h>

#if defined(__GLIBC__) && defined(__linux__)
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static int pp_exit_status = 4;
static char pp_staging[4096];
static volatile int pp_failing = 0;

void pp_set_out_of_memory_exit(int status) { pp_exit_status = status; }

void pp_set_staging_folder(const char *path) {
    if (path == NULL) { pp_staging[0] = 0; return; }
    size_t n = strlen(path);
    if (n >= sizeof pp_staging) n = sizeof pp_staging - 1;
    memcpy(pp_staging, path, n);
    pp_staging[n] = 0;
}

// Text building without allocation.
static size_t put(char *buf, size_t at, size_t cap, const char *s) {
    while (*s && at + 1 < cap) buf[at++] = *s++;
    buf[at] = 0;
    return at;
}

static size_t put_number(char *buf, size_t at, size_t cap, unsigned long long v) {
    char digits[24];
    int n = 0;
    do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v && n < 23);
    while (n && at + 1 < cap) buf[at++] = digits[--n];
    buf[at] = 0;
    return at;
}

// Resident memory in MB from /proc/self/statm (second field, pages).
static unsigned long long resident_mb(void) {
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    char text[128];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return 0;
    text[n] = 0;
    const char *p = text;
    while (*p && *p != ' ') p++;
    unsigned long long pages = 0;
    while (*p == ' ') p++;
    while (*p >= '0' && *p <= '9') pages = pages * 10 + (unsigned long long)(*p++ - '0');
    return pages * (unsigned long long)sysconf(_SC_PAGESIZE) >> 20;
}

struct linux_dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

// Removes what `dir` holds, then `name` itself, without allocating (getdents64 into the stack).
static void remove_tree(int parent, const char *name, int depth) {
    if (unlinkat(parent, name, 0) == 0 || depth > 16) return;
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    char entries[4096];
    // Entries removed while the folder is read may hide others: read it again until none is left.
    for (int pass = 0; pass < 8; pass++) {
        lseek(fd, 0, SEEK_SET);
        int removed = 0;
        long n;
        while ((n = syscall(SYS_getdents64, fd, entries, sizeof entries)) > 0) {
            for (long at = 0; at < n;) {
                struct linux_dirent64 *e = (struct linux_dirent64 *)(entries + at);
                at += e->d_reclen;
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
                remove_tree(fd, e->d_name, depth + 1);
                removed = 1;
            }
        }
        if (!removed) break;
    }
    close(fd);
    unlinkat(parent, name, AT_REMOVEDIR);
}

/// `size` bytes refused, or (size 0) a thread that could not be started.
__attribute__((noreturn)) static void out_of_memory(size_t size) {
    if (__sync_lock_test_and_set(&pp_failing, 1)) {
        // Another thread is already saying so.
        for (;;) pause();
    }
    char line[1024];
    size_t at;
    if (size == 0) {
        at = put(line, 0, sizeof line, "profiler: internal error: out of memory: a thread could not be started (no room for its stack), with ");
    } else {
        at = put(line, 0, sizeof line, "profiler: internal error: out of memory: a request for ");
        at = put_number(line, at, sizeof line, (unsigned long long)size);
        at = put(line, at, sizeof line, " bytes was refused with ");
    }
    at = put_number(line, at, sizeof line, resident_mb());
    at = put(line, at, sizeof line, " MB in use");
    struct rlimit limit;
    if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        at = put(line, at, sizeof line, " under an address-space limit of ");
        at = put_number(line, at, sizeof line, (unsigned long long)(limit.rlim_cur >> 20));
        at = put(line, at, sizeof line, " MB (ulimit -v)");
    }
    at = put(line, at, sizeof line, "; nothing was published");
    if (pp_staging[0]) {
        remove_tree(AT_FDCWD, pp_staging, 0);
        at = put(line, at, sizeof line, " and the staging folder was removed");
    }
    at = put(line, at, sizeof line, "\n");
    ssize_t written = write(2, line, at);
    (void)written;
    _exit(pp_exit_status);
}

void *malloc(size_t size) {
    void *p = __libc_malloc(size);
    if (p == NULL && size != 0) out_of_memory(size);
    return p;
}

void *calloc(size_t count, size_t size) {
    void *p = __libc_calloc(count, size);
    if (p == NULL && count != 0 && size != 0) {
        // An overflowing product is the caller's error, not memory running out.
        if (size > (size_t)-1 / count) { errno = ENOMEM; return NULL; }
        out_of_memory(count * size);
    }
    return p;
}

void *realloc(void *old, size_t size) {
    void *p = __libc_realloc(old, size);
    if (p == NULL && size != 0) out_of_memory(size);
    return p;
}

void *memalign(size_t alignment, size_t size) {
    void *p = __libc_memalign(alignment, size);
    if (p == NULL && size != 0) {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) { errno = EINVAL; return NULL; }
        out_of_memory(size);
    }
    return p;
}

void *aligned_alloc(size_t alignment, size_t size) { return memalign(alignment, size); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *p = memalign(alignment, size);
    if (p == NULL && size != 0) return ENOMEM;
    *result = p;
    return 0;
}

// libdispatch waits and retries, for ever, when it cannot start a worker thread: a thread refused
// for lack of memory ends the run instead, as an allocation refused does.
typedef int (*pthread_create_function)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
static pthread_create_function pp_real_pthread_create;

__attribute__((constructor)) static void pp_find_pthread_create(void) {
    pp_real_pthread_create = (pthread_create_function)dlsym(RTLD_NEXT, "pthread_create");
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *), void *argument) {
    if (pp_real_pthread_create == NULL) pp_find_pthread_create();
    int status = pp_real_pthread_create(thread, attributes, start, argument);
    if (status == EAGAIN || status == ENOMEM) out_of_memory(0);
    return status;
}

#else
void pp_set_out_of_memory_exit(int status) { (void)status; }
void pp_set_staging_folder(const char *path) { (void)path; }
#endif
