/*
 * CE3 on the wire (docs/launcher-protocol.md):
 * 1. reads one payload from stdin: header lines, file contents (written straight into the build
 *    directory), argv bytes, and each test's stdin (into a memfd);
 * 2. rejects anything malformed with a message for the error record (records.c writes it).
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void reader_init(struct reader *r, int fd) {
    r->fd = fd;
    r->pos = r->len = 0;
}

/* Refills the buffer; returns bytes available, 0 at end of input, -1 on error. */
static ssize_t reader_fill(struct reader *r) {
    if (r->pos < r->len) return (ssize_t) (r->len - r->pos);
    for (;;) {
        ssize_t n = read(r->fd, r->buf, sizeof r->buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        r->pos = 0;
        r->len = (size_t) n;
        return n;
    }
}

/* One line without its '\n'. Returns its length, -1 at a clean end of input before any byte, -2 on
 * a truncated or over-long line. */
static int reader_line(struct reader *r, char *line, size_t cap) {
    size_t len = 0;
    for (;;) {
        ssize_t avail = reader_fill(r);
        if (avail <= 0) return len == 0 && avail == 0 ? -1 : -2;
        char *start = r->buf + r->pos;
        char *nl = memchr(start, '\n', (size_t) avail);
        size_t take = nl ? (size_t) (nl - start) : (size_t) avail;
        if (len + take >= cap) return -2;
        memcpy(line + len, start, take);
        len += take;
        r->pos += take + (nl ? 1 : 0);
        if (nl) {
            line[len] = '\0';
            return (int) len;
        }
    }
}

int reader_exact(struct reader *r, void *dst, size_t n) {
    char *out = dst;
    while (n > 0) {
        ssize_t avail = reader_fill(r);
        if (avail <= 0) return -1;
        size_t take = (size_t) avail < n ? (size_t) avail : n;
        memcpy(out, r->buf + r->pos, take);
        r->pos += take;
        out += take;
        n -= take;
    }
    return 0;
}

int reader_copy_to_fd(struct reader *r, int fd, size_t n) {
    while (n > 0) {
        ssize_t avail = reader_fill(r);
        if (avail <= 0) return -1;
        size_t take = (size_t) avail < n ? (size_t) avail : n;
        write_all(fd, r->buf + r->pos, take);
        r->pos += take;
        n -= take;
    }
    return 0;
}

/* Splits a header line into words at single spaces; returns the count, -1 if more than max. */
static int split(char *line, char **words, int max) {
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (n == max) return -1;
        words[n++] = w;
    }
    return n;
}

/* A non-negative decimal number, digits only; -1 if not one. */
static long long number(const char *s) {
    if (!*s || strlen(s) > 18) return -1;
    long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

#define FAIL(...) do { snprintf(error, error_len, __VA_ARGS__); return -1; } while (0)

/* Reads "<tag> <argc> <len>..." and then the argv bytes; prefix items go first (the run command). */
static int read_argv(struct reader *r, const char *tag, char **prefix, int min_argc, char ***out,
                     char *error, size_t error_len) {
    char line[MAX_HEADER];
    char *words[MAX_ARGS + 2];
    if (reader_line(r, line, sizeof line) < 0) FAIL("expected a '%s' line", tag);
    int n = split(line, words, MAX_ARGS + 2);
    if (n < 2 || strcmp(words[0], tag) != 0) FAIL("expected a '%s' line", tag);
    long long argc = number(words[1]);
    if (argc < min_argc || argc > MAX_ARGS || argc != n - 2) FAIL("bad argument count on the '%s' line", tag);
    int prefix_count = 0;
    while (prefix && prefix[prefix_count]) prefix_count++;
    char **argv = calloc((size_t) (prefix_count + argc + 1), sizeof *argv);
    if (!argv) FAIL("out of memory");
    for (int i = 0; i < prefix_count; i++) argv[i] = prefix[i];
    for (long long i = 0; i < argc; i++) {
        long long len = number(words[2 + i]);
        if (len < 0 || len > MAX_ARG_BYTES) FAIL("bad argument length on the '%s' line", tag);
        char *arg = malloc((size_t) len + 1);
        if (!arg || reader_exact(r, arg, (size_t) len) != 0) FAIL("payload ended inside '%s' arguments", tag);
        arg[len] = '\0';
        argv[prefix_count + i] = arg;
    }
    *out = argc + prefix_count == 0 ? NULL : argv;
    if (!*out) free(argv);
    return 0;
}

static int read_files(struct reader *r, const char *build_dir, char *error, size_t error_len) {
    char line[MAX_HEADER];
    char *words[2 + 2 * MAX_FILES];
    if (reader_line(r, line, sizeof line) < 0) FAIL("expected a 'files' line");
    int n = split(line, words, 2 + 2 * MAX_FILES);
    if (n < 2 || strcmp(words[0], "files") != 0) FAIL("expected a 'files' line");
    long long count = number(words[1]);
    if (count < 0 || count > MAX_FILES || n != 2 + 2 * count) FAIL("bad file count");
    long long lens[2 * MAX_FILES];
    for (long long i = 0; i < 2 * count; i++) {
        lens[i] = number(words[2 + i]);
        if (lens[i] < 0) FAIL("bad file length");
    }
    for (long long i = 0; i < count; i++) {
        char name[MAX_NAME_BYTES + 1];
        if (lens[2 * i] > MAX_NAME_BYTES) FAIL("file name too long");
        if (reader_exact(r, name, (size_t) lens[2 * i]) != 0) FAIL("payload ended inside a file name");
        name[lens[2 * i]] = '\0';
        if (!workdir_valid_name(name, (size_t) lens[2 * i])) FAIL("invalid file name");
        if (workdir_write_file(build_dir, name, r, (size_t) lens[2 * i + 1]) != 0)
            FAIL("cannot write file %s: %s", name, errno ? strerror(errno) : "payload ended inside it");
    }
    return 0;
}

static int read_tests(struct reader *r, struct payload *p, char **run_argv, char *error, size_t error_len) {
    char line[MAX_HEADER];
    char *words[MAX_ARGS + 2];
    if (reader_line(r, line, sizeof line) < 0) FAIL("expected a 'tests' line");
    int n = split(line, words, 3);
    long long count = n == 2 && strcmp(words[0], "tests") == 0 ? number(words[1]) : -1;
    if (count < 1 || count > MAX_TESTS) FAIL("bad 'tests' line");
    p->tests = calloc((size_t) count, sizeof *p->tests);
    if (!p->tests) FAIL("out of memory");
    for (long long t = 0; t < count; t++) p->tests[t].stdin_fd = -1;
    p->test_count = (int) count;
    for (long long t = 0; t < count; t++) {
        if (reader_line(r, line, sizeof line) < 0) FAIL("expected test %lld's line", t);
        n = split(line, words, MAX_ARGS + 2);
        long long stdin_len = n >= 2 ? number(words[0]) : -1;
        long long argc = n >= 2 ? number(words[1]) : -1;
        if (stdin_len < 0 || argc < 0 || argc > MAX_ARGS || argc != n - 2) FAIL("bad line for test %lld", t);
        int fd = memfd_create("stdin", MFD_CLOEXEC);
        if (fd < 0) FAIL("memfd_create: %s", strerror(errno));
        p->tests[t].stdin_fd = fd;
        if (reader_copy_to_fd(r, fd, (size_t) stdin_len) != 0) FAIL("payload ended inside test %lld's stdin", t);
        int run_argc = 0;
        while (run_argv[run_argc]) run_argc++;
        char **argv = calloc((size_t) (run_argc + argc + 1), sizeof *argv);
        if (!argv) FAIL("out of memory");
        for (int i = 0; i < run_argc; i++) argv[i] = run_argv[i];
        for (long long i = 0; i < argc; i++) {
            long long len = number(words[2 + i]);
            if (len < 0 || len > MAX_ARG_BYTES) FAIL("bad argument length for test %lld", t);
            char *arg = malloc((size_t) len + 1);
            if (!arg || reader_exact(r, arg, (size_t) len) != 0) FAIL("payload ended inside test %lld's arguments", t);
            arg[len] = '\0';
            argv[run_argc + i] = arg;
        }
        p->tests[t].argv = argv;
    }
    return 0;
}

/*
 * Reads one whole payload. Returns 1 when read, 0 at a clean end of input before it, -1 when
 * malformed (message in error; p->nonce set if the first line got that far).
 */
int read_payload(struct reader *r, struct payload *p, const char *build_dir, char *error, size_t error_len) {
    memset(p, 0, sizeof *p);
    char line[MAX_HEADER];
    char *words[12];
    int len = reader_line(r, line, sizeof line);
    if (len == -1) return 0;
    if (len < 0) FAIL("payload header missing or too long");
    int n = split(line, words, 4);
    if (n != 3 || strcmp(words[0], "CE3") != 0) FAIL("not a CE3 payload");
    if (strlen(words[1]) != NONCE_LEN || strspn(words[1], "0123456789abcdef") != NONCE_LEN) FAIL("bad nonce");
    memcpy(p->nonce, words[1], NONCE_LEN + 1);
    long long flags = number(words[2]);
    if (flags < 0 || flags > (FLAG_STOP_ON_FAILURE | FLAG_STREAM)) FAIL("bad flags");
    p->stop_on_failure = (int) (flags & FLAG_STOP_ON_FAILURE);
    p->stream = (int) (flags & FLAG_STREAM) ? 1 : 0;

    if (reader_line(r, line, sizeof line) < 0) FAIL("expected a 'limits' line");
    n = split(line, words, 12);
    if (n != 10 || strcmp(words[0], "limits") != 0) FAIL("expected a 'limits' line with 9 numbers");
    long long v[9];
    for (int i = 0; i < 9; i++) {
        v[i] = number(words[1 + i]);
        if (v[i] < 0) FAIL("bad number on the 'limits' line");
    }
    p->limits = (struct limits) {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]};
    if (p->limits.cpu_ms == 0 || p->limits.wall_ms == 0 || p->limits.memory_kb == 0) FAIL("zero limit");

    if (read_files(r, build_dir, error, error_len) != 0) return -1;
    if (read_argv(r, "compile", NULL, 0, &p->compile_argv, error, error_len) != 0) return -1;
    char **run_argv = NULL;
    if (read_argv(r, "run", NULL, 1, &run_argv, error, error_len) != 0) return -1;
    if (read_tests(r, p, run_argv, error, error_len) != 0) return -1;
    return 1;
}

void free_payload(struct payload *p) {
    for (int t = 0; t < p->test_count; t++) {
        if (p->tests[t].stdin_fd >= 0) close(p->tests[t].stdin_fd);
    }
    /* argv strings are small and payloads are few per host; only descriptors must not pile up */
    free(p->tests);
    p->tests = NULL;
    p->test_count = 0;
}
