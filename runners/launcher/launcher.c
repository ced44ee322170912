/*
 * codeexec-launch: the supervisor inside every runner container.
 *
 * 1. Reads one framed payload from stdin (header line, then code, stdin and argument bytes), so no
 *    file ever has to be copied into the read-only container and the worker never has to half-close
 *    the attached stdin.
 * 2. Writes the code to the working directory (the tmpfs), puts the job's stdin in a memfd (the
 *    program sees end-of-file after the last byte), sets the per-job rlimits and runs the program.
 * 3. Runs as PID 1 (the container has no other init): it is non-dumpable, so the program can neither
 *    ptrace it nor read its memory; the kernel drops the program's signals to it; it reaps orphans.
 * 4. Waits for the program and writes one trailer line to stderr with the exit status, CPU time, peak
 *    RSS, wall time and the container's peak memory from its cgroup, tagged with a nonce the program
 *    never sees, so the worker can tell it from output. When it exits, the kernel ends every process
 *    left in the container's pid namespace.
 *
 * Usage: codeexec-launch SOURCE_FILE COMMAND [ARG...]
 * Header: "CE1 <nonce> <cpuMs> <fileBytes> <codeLen> <stdinLen> <argc> <argLen>...\n"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_HEADER 8192
#define MAX_ARGS 64
#define OPEN_FILES_LIMIT 256
#define EXIT_PROTOCOL 121

static void die(const char *what) {
    dprintf(2, "codeexec-launch: %s: %s\n", what, strerror(errno));
    exit(EXIT_PROTOCOL);
}

static void fail(const char *what) {
    dprintf(2, "codeexec-launch: %s\n", what);
    exit(EXIT_PROTOCOL);
}

/* Reads exactly n bytes from fd 0; end-of-file before that is a protocol error. */
static void read_exact(char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(0, buf + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) die("reading payload");
        if (r == 0) fail("payload ended early");
        got += (size_t) r;
    }
}

static void write_all(int fd, const char *buf, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) die("writing");
        buf += w;
        n -= (size_t) w;
    }
}

/* Copies n payload bytes from fd 0 to fd, through a fixed buffer. */
static void copy_payload(int fd, size_t n) {
    char buf[65536];
    while (n > 0) {
        size_t chunk = n < sizeof buf ? n : sizeof buf;
        read_exact(buf, chunk);
        write_all(fd, buf, chunk);
        n -= chunk;
    }
}

static void read_header(char *line) {
    size_t len = 0;
    for (;;) {
        char c;
        ssize_t r = read(0, &c, 1);  /* one byte at a time: never read past the header */
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) die("reading header");
        if (r == 0) fail("no payload on stdin");
        if (c == '\n') break;
        if (len + 1 >= MAX_HEADER) fail("header too long");
        line[len++] = c;
    }
    line[len] = '\0';
}

static long long next_number(char **cursor) {
    char *end;
    errno = 0;
    long long v = strtoll(*cursor, &end, 10);
    if (errno != 0 || end == *cursor || v < 0) fail("malformed header");
    *cursor = end;
    return v;
}

static long long elapsed_ms(const struct timespec *from) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - from->tv_sec) * 1000LL + (now.tv_nsec - from->tv_nsec) / 1000000LL;
}

/* Peak memory of the whole container from its cgroup (v2, then v1), in KiB; -1 when unreadable. */
static long long cgroup_peak_kb(void) {
    static const char *paths[] = {"/sys/fs/cgroup/memory.peak", "/sys/fs/cgroup/memory/memory.max_usage_in_bytes"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        FILE *f = fopen(paths[i], "r");
        if (!f) continue;
        long long bytes = -1;
        int ok = fscanf(f, "%lld", &bytes);
        fclose(f);
        if (ok == 1 && bytes >= 0) return bytes / 1024;
    }
    return -1;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    if (setrlimit(resource, &rl) != 0) die("setrlimit");
}

int main(int argc, char **argv) {
    if (argc < 3) fail("usage: codeexec-launch SOURCE_FILE COMMAND [ARG...]");
    /* Nobody of the same uid may read our memory (the nonce) through /proc/<pid>/mem or ptrace. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    char header[MAX_HEADER];
    read_header(header);
    if (strncmp(header, "CE1 ", 4) != 0) fail("unknown protocol");
    char nonce[65];
    int consumed = 0;
    if (sscanf(header + 4, "%64s%n", nonce, &consumed) != 1) fail("malformed header");
    char *cursor = header + 4 + consumed;
    long long cpu_ms = next_number(&cursor);
    long long file_bytes = next_number(&cursor);
    long long code_len = next_number(&cursor);
    long long stdin_len = next_number(&cursor);
    long long extra_argc = next_number(&cursor);
    if (extra_argc > MAX_ARGS) fail("too many arguments");
    long long arg_lens[MAX_ARGS];
    for (long long i = 0; i < extra_argc; i++) arg_lens[i] = next_number(&cursor);

    int code_fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (code_fd < 0) die("creating the source file");
    copy_payload(code_fd, (size_t) code_len);
    close(code_fd);

    int stdin_fd = memfd_create("stdin", MFD_CLOEXEC);
    if (stdin_fd < 0) die("memfd_create");
    copy_payload(stdin_fd, (size_t) stdin_len);
    if (lseek(stdin_fd, 0, SEEK_SET) != 0) die("lseek");

    int base_argc = argc - 2;
    char **child_argv = calloc((size_t) (base_argc + extra_argc + 1), sizeof(char *));
    if (!child_argv) die("calloc");
    for (int i = 0; i < base_argc; i++) child_argv[i] = argv[i + 2];
    for (long long i = 0; i < extra_argc; i++) {
        char *arg = malloc((size_t) arg_lens[i] + 1);
        if (!arg) die("malloc");
        read_exact(arg, (size_t) arg_lens[i]);
        arg[arg_lens[i]] = '\0';
        child_argv[base_argc + i] = arg;
    }

    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        if (dup2(stdin_fd, 0) < 0) die("dup2");
        rlim_t cpu_seconds = (rlim_t) ((cpu_ms + 999) / 1000);
        set_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1);
        set_limit(RLIMIT_FSIZE, (rlim_t) file_bytes, (rlim_t) file_bytes);
        set_limit(RLIMIT_CORE, 0, 0);
        set_limit(RLIMIT_NOFILE, OPEN_FILES_LIMIT, OPEN_FILES_LIMIT);
        signal(SIGPIPE, SIG_DFL);
        execvp(child_argv[0], child_argv);
        dprintf(2, "codeexec-launch: cannot run %s: %s\n", child_argv[0], strerror(errno));
        _exit(127);
    }
    close(stdin_fd);
    close(0);

    int status = 0;
    /* As PID 1 we are the init of the container: reap every orphan until the program itself ends. */
    for (;;) {
        int reaped_status;
        pid_t pid = waitpid(-1, &reaped_status, 0);
        if (pid < 0 && errno == EINTR) continue;
        if (pid < 0) die("waitpid");
        if (pid == child) {
            status = reaped_status;
            break;
        }
    }
    struct rusage usage;  /* every process reaped so far: the program and the orphans it left */
    if (getrusage(RUSAGE_CHILDREN, &usage) != 0) die("getrusage");
    long long wall_ms = elapsed_ms(&started);
    long long cpu_used = usage.ru_utime.tv_sec * 1000LL + usage.ru_utime.tv_usec / 1000
                       + usage.ru_stime.tv_sec * 1000LL + usage.ru_stime.tv_usec / 1000;
    int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    /* The record separator starts the trailer on its own even if the program left a partial line. */
    dprintf(2, "\x1e" "CODEEXEC %s exit=%d signal=%d cpuMs=%lld maxRssKb=%ld wallMs=%lld cgroupPeakKb=%lld\n",
            nonce, exit_code, sig, cpu_used, usage.ru_maxrss, wall_ms, cgroup_peak_kb());
    return 0;
}
