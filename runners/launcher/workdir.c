/*
 * The payload's build directory on the container's /sandbox tmpfs:
 * 1. one fresh directory per payload (/sandbox/.b<n>), removed with everything in it afterwards;
 * 2. file names checked against the protocol's rules before anything is created;
 * 3. the mount point of each test's private tmpfs (/sandbox/.scratch), made once.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int workdir_prepare(void) {
    if (mkdir(SCRATCH_DIR, 0700) != 0 && errno != EEXIST) return -1;
    return 0;
}

int workdir_create(char *path, size_t len) {
    static unsigned long counter;
    for (int attempt = 0; attempt < 1000; attempt++) {
        snprintf(path, len, SANDBOX_DIR "/.b%lu", ++counter);
        if (mkdir(path, 0755) == 0) return 0;
        if (errno != EEXIST) return -1;
    }
    return -1;
}

/* Relative path of [A-Za-z0-9._-] segments separated by '/': no empty, "." or ".." segment, each
 * at most 255 bytes. */
int workdir_valid_name(const char *name, size_t len) {
    if (len == 0 || strlen(name) != len) return 0;
    size_t segment = 0;
    for (size_t i = 0; i <= len; i++) {
        char c = name[i];
        if (c == '/' || c == '\0') {
            const char *start = name + i - segment;
            if (segment == 0 || segment > 255) return 0;
            if ((segment == 1 && start[0] == '.') || (segment == 2 && start[0] == '.' && start[1] == '.')) return 0;
            segment = 0;
            continue;
        }
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return 0;
        segment++;
    }
    return 1;
}

int workdir_write_file(const char *build_dir, const char *name, struct reader *r, size_t len) {
    char path[sizeof SANDBOX_DIR + 32 + MAX_NAME_BYTES];
    snprintf(path, sizeof path, "%s/%s", build_dir, name);
    /* parent directories, one segment at a time */
    for (char *slash = strchr(path + strlen(build_dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int made = mkdir(path, 0755);
        *slash = '/';
        if (made != 0 && errno != EEXIST) return -1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return -1;
    errno = 0;
    int rc = reader_copy_to_fd(r, fd, len);
    close(fd);
    return rc;
}

/* Deletes everything under dirfd/name; a compiler may have left read-only directories. */
static void remove_at(int dirfd, const char *name) {
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return;
    fchmod(fd, 0700);
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        remove_at(fd, e->d_name);
    }
    closedir(dir);
    unlinkat(dirfd, name, AT_REMOVEDIR);
}

void workdir_remove(const char *path) {
    remove_at(AT_FDCWD, path);
}
