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

/* Parses "argc argLen..." at the cursor into lens; returns argc. */
static long long parse_arg_lens(char **cursor, long long lens[MAX_ARGS]) {
    long long count = next_number(cursor);
    if (count > MAX_ARGS) fail("too many arguments");
    for (long long i = 0; i < count; i++) lens[i] = next_number(cursor);
    return count;
}

/* A NULL-terminated argv: the command, then the job's arguments read from the payload. */
static char **read_argv(char **command, const long long *lens, long long count) {
    int command_argc = 0;
    while (command[command_argc]) command_argc++;
    char **argv = calloc((size_t) (command_argc + count + 1), sizeof(char *));
    if (!argv) die("calloc");
    for (int i = 0; i < command_argc; i++) argv[i] = command[i];
    for (long long i = 0; i < count; i++) {
        char *arg = malloc((size_t) lens[i] + 1);
        if (!arg) die("malloc");
        read_exact(arg, (size_t) lens[i]);
        arg[lens[i]] = '\0';
        argv[command_argc + i] = arg;
    }
    return argv;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    if (setrlimit(resource, &rl) != 0) die("setrlimit");
}

/* In the child, before exec: the program's CPU time (SIGXCPU, then SIGKILL a second later), largest
 * file, no core dumps, a fixed number of open files, and the default SIGPIPE. */
static void apply_program_limits(long long cpu_ms, rlim_t file_bytes) {
    rlim_t cpu_seconds = (rlim_t) ((cpu_ms + 999) / 1000);
    set_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1);
    set_limit(RLIMIT_FSIZE, file_bytes, file_bytes);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_NOFILE, OPEN_FILES_LIMIT, OPEN_FILES_LIMIT);
    signal(SIGPIPE, SIG_DFL);
}

/* Reads the nonce after the 4-character protocol tag; returns where the numbers start. */
static char *parse_nonce(char *header, char nonce[65]) {
    int consumed = 0;
    if (sscanf(header + 4, "%64s%n", nonce, &consumed) != 1) fail("malformed header");
    return header + 4 + consumed;
}

/* Writes the next len payload bytes to the source file in the working directory. */
static void write_source(const char *path, long long len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) die("creating the source file");
    copy_payload(fd, (size_t) len);
    close(fd);
}

static int run_graded(const char *source, char **compile_argv, char **run_argv, char *header);

int main(int argc, char **argv) {
    if (argc < 3) fail("usage: codeexec-launch SOURCE_FILE [--compile COMMAND... --] COMMAND [ARG...]");
    /* Nobody of the same uid may read our memory (the nonce) through /proc/<pid>/mem or ptrace. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    char **compile_argv = NULL;
    char **run_argv = argv + 2;
    if (strcmp(argv[2], "--compile") == 0) {
        compile_argv = argv + 3;
        int i = 3;
        while (i < argc && strcmp(argv[i], "--") != 0) i++;
        if (i >= argc - 1) fail("--compile needs '--' and a run command after it");
        argv[i] = NULL;
        run_argv = argv + i + 1;
    }

    char header[MAX_HEADER];
    read_header(header);
    if (strncmp(header, "CE2 ", 4) == 0) return run_graded(argv[1], compile_argv, run_argv, header);
    if (strncmp(header, "CE1 ", 4) != 0) fail("unknown protocol");
    if (compile_argv) fail("CE1 payloads cannot compile");
    char nonce[65];
    char *cursor = parse_nonce(header, nonce);
    long long cpu_ms = next_number(&cursor);
    long long file_bytes = next_number(&cursor);
    long long code_len = next_number(&cursor);
    long long stdin_len = next_number(&cursor);
    long long arg_lens[MAX_ARGS];
    long long extra_argc = parse_arg_lens(&cursor, arg_lens);

    write_source(argv[1], code_len);

    int stdin_fd = memfd_create("stdin", MFD_CLOEXEC);
    if (stdin_fd < 0) die("memfd_create");
    copy_payload(stdin_fd, (size_t) stdin_len);
    if (lseek(stdin_fd, 0, SEEK_SET) != 0) die("lseek");

    char **child_argv = read_argv(run_argv, arg_lens, extra_argc);

    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        if (dup2(stdin_fd, 0) < 0) die("dup2");
        apply_program_limits(cpu_ms, (rlim_t) file_bytes);
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

/* ---------------------------------------------------------------------------------------------
 * Graded runs (CE2): compile once, then run every test as a fresh process in this container.
 * Header: "CE2 <nonce> <fileBytes> <outputBytes> <compileCpuMs> <compileWallMs> <stopOnFailure>
 *          <codeLen> <tests>\n", then the code, then per test "<cpuMs> <wallMs> <stdinLen> <argc>
 *          <argLen>...\n" followed by its stdin and argument bytes.
 * Output: records on stdout, each "\x1eCODEEXEC <nonce> <what> key=value...\n" followed by the
 * captured bytes they announce; programs never write to the container's streams directly.
 * ------------------------------------------------------------------------------------------- */

#include <poll.h>

#define COMPILE_OUTPUT_CAP 65536
#define POLL_MS 5

struct capture {
    char *data;
    size_t len;
    size_t cap;
    long long total;
};

struct outcome {
    int exit_code, sig, timed_out, over_cap, oom_killed;
    long long cpu_ms, max_rss_kb, wall_ms;
};

struct test_input {
    long long cpu_ms, wall_ms;
    int stdin_fd;
    char **argv;
};

static void capture_init(struct capture *c, size_t cap) {
    c->data = malloc(cap ? cap : 1);
    if (!c->data) die("malloc");
    c->len = 0;
    c->cap = cap;
    c->total = 0;
}

/* Reads what is available on fd into the capture; returns 0 at end-of-file. */
static int capture_read(int fd, struct capture *c) {
    char buf[65536];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (r == 0) return 0;
    size_t room = c->cap - c->len;
    size_t take = (size_t) r < room ? (size_t) r : room;
    memcpy(c->data + c->len, buf, take);
    c->len += take;
    c->total += r;
    return 1;
}

/* The kernel's count of OOM kills in this container's memory cgroup (v2, then v1); -1 if unknown. */
static long long oom_kills(void) {
    static const char *paths[] = {"/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        FILE *f = fopen(paths[i], "r");
        if (!f) continue;
        char key[64];
        long long value;
        while (fscanf(f, "%63s %lld", key, &value) == 2) {
            if (strcmp(key, "oom_kill") == 0) {
                fclose(f);
                return value;
            }
        }
        fclose(f);
    }
    return -1;
}

/* Kills every process in the container but us and reaps them all. */
static void kill_everything_else(void) {
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
}

/*
 * Runs argv with stdin from stdin_fd and its stdout/stderr captured (stderr into err, or into out
 * when err is NULL), under the given limits. Returns when the program has ended (or was killed at
 * its wall-clock limit or output cap); everything it left running is killed too.
 */
static struct outcome run_captured(char **argv, int stdin_fd, long long cpu_ms, long long wall_ms,
                                   rlim_t file_bytes, struct capture *out, struct capture *err) {
    struct outcome o = {0};
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) die("pipe");
    long long ooms_before = oom_kills();
    struct timespec started;
    clock_gettime(CLOCK_MONOTONIC, &started);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        if (dup2(stdin_fd, 0) < 0 || dup2(out_pipe[1], 1) < 0 || dup2(err ? err_pipe[1] : out_pipe[1], 2) < 0) die("dup2");
        apply_program_limits(cpu_ms, file_bytes);
        execvp(argv[0], argv);
        dprintf(2, "codeexec-launch: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    int status = 0, exited = 0;
    struct rusage usage;
    memset(&usage, 0, sizeof usage);
    while (!exited || open_fds > 0) {
        if (!exited) {
            pid_t done = wait4(child, &status, WNOHANG, &usage);
            if (done == child) {
                exited = 1;
                o.wall_ms = elapsed_ms(&started);
                kill_everything_else();  /* orphans may hold the pipes open; nothing outlives a test */
            } else if (elapsed_ms(&started) > wall_ms || o.over_cap) {
                if (!o.over_cap) o.timed_out = 1;
                kill(child, SIGKILL);
                while (wait4(child, &status, 0, &usage) < 0 && errno == EINTR) {
                }
                exited = 1;
                o.wall_ms = elapsed_ms(&started);
                kill_everything_else();
            }
        }
        if (open_fds == 0) continue;
        int ready = poll(fds, 2, exited ? 100 : POLL_MS);
        if (ready < 0 && errno != EINTR) die("poll");
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            struct capture *target = i == 0 || !err ? out : err;
            if (!capture_read(fds[i].fd, target)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            } else if (target->total > (long long) target->cap) {
                o.over_cap = 1;
            }
        }
        if (exited && ready == 0) break;  /* writers are all dead; nothing more can come */
    }
    for (int i = 0; i < 2; i++) if (fds[i].fd >= 0) close(fds[i].fd);
    o.cpu_ms = usage.ru_utime.tv_sec * 1000LL + usage.ru_utime.tv_usec / 1000
             + usage.ru_stime.tv_sec * 1000LL + usage.ru_stime.tv_usec / 1000;
    o.max_rss_kb = usage.ru_maxrss;
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    long long ooms_after = oom_kills();
    o.oom_killed = ooms_before >= 0 && ooms_after > ooms_before;
    return o;
}

static void emit(const char *bytes, size_t len) {
    write_all(1, bytes, len);
}

static int failed(const struct outcome *o) {
    return o->exit_code != 0 || o->sig != 0 || o->timed_out || o->over_cap || o->oom_killed;
}

static int run_graded(const char *source, char **compile_argv, char **run_argv, char *header) {
    /* Between tests we kill every other process: only safe as the init of a container of our own. */
    if (getpid() != 1) fail("graded runs must be PID 1 of their container");
    char nonce[65];
    char *cursor = parse_nonce(header, nonce);
    long long file_bytes = next_number(&cursor);
    long long output_bytes = next_number(&cursor);
    long long compile_cpu_ms = next_number(&cursor);
    long long compile_wall_ms = next_number(&cursor);
    long long stop_on_failure = next_number(&cursor);
    long long code_len = next_number(&cursor);
    long long test_count = next_number(&cursor);
    if (test_count < 1 || test_count > 1000) fail("bad test count");

    write_source(source, code_len);

    struct test_input *tests = calloc((size_t) test_count, sizeof *tests);
    if (!tests) die("calloc");
    for (long long t = 0; t < test_count; t++) {
        char line[MAX_HEADER];
        read_header(line);
        char *c = line;
        tests[t].cpu_ms = next_number(&c);
        tests[t].wall_ms = next_number(&c);
        long long stdin_len = next_number(&c);
        long long lens[MAX_ARGS];
        long long extra = parse_arg_lens(&c, lens);
        tests[t].stdin_fd = memfd_create("stdin", MFD_CLOEXEC);
        if (tests[t].stdin_fd < 0) die("memfd_create");
        copy_payload(tests[t].stdin_fd, (size_t) stdin_len);
        tests[t].argv = read_argv(run_argv, lens, extra);
    }
    close(0);
    int empty_stdin = memfd_create("empty", MFD_CLOEXEC);
    if (empty_stdin < 0) die("memfd_create");

    char record[512];
    if (compile_argv) {
        struct capture output;
        capture_init(&output, COMPILE_OUTPUT_CAP);
        struct outcome o = run_captured(compile_argv, empty_stdin, compile_cpu_ms, compile_wall_ms, RLIM_INFINITY,
                                        &output, NULL);
        int n = snprintf(record, sizeof record,
                "\x1e" "CODEEXEC %s compile exit=%d signal=%d cpuMs=%lld maxRssKb=%lld wallMs=%lld timedOut=%d"
                " oomKilled=%d outLen=%zu outTotal=%lld\n", nonce, o.exit_code, o.sig, o.cpu_ms, o.max_rss_kb,
                o.wall_ms, o.timed_out, o.oom_killed, output.len, output.total);
        emit(record, (size_t) n);
        emit(output.data, output.len);
        free(output.data);
        o.over_cap = 0;  /* a chatty compiler is not a failure */
        if (failed(&o)) {
            n = snprintf(record, sizeof record, "\x1e" "CODEEXEC %s done\n", nonce);
            emit(record, (size_t) n);
            return 0;
        }
    }

    for (long long t = 0; t < test_count; t++) {
        struct capture out, err;
        capture_init(&out, (size_t) output_bytes);
        capture_init(&err, (size_t) output_bytes);
        if (lseek(tests[t].stdin_fd, 0, SEEK_SET) != 0) die("lseek");
        struct outcome o = run_captured(tests[t].argv, tests[t].stdin_fd, tests[t].cpu_ms, tests[t].wall_ms,
                                        (rlim_t) file_bytes, &out, &err);
        int n = snprintf(record, sizeof record,
                "\x1e" "CODEEXEC %s test=%lld exit=%d signal=%d cpuMs=%lld maxRssKb=%lld wallMs=%lld timedOut=%d"
                " oomKilled=%d outLen=%zu outTotal=%lld errLen=%zu errTotal=%lld\n", nonce, t, o.exit_code, o.sig,
                o.cpu_ms, o.max_rss_kb, o.wall_ms, o.timed_out, o.oom_killed, out.len, out.total, err.len, err.total);
        emit(record, (size_t) n);
        emit(out.data, out.len);
        emit(err.data, err.len);
        free(out.data);
        free(err.data);
        close(tests[t].stdin_fd);
        if (stop_on_failure && failed(&o)) break;
    }
    int n = snprintf(record, sizeof record, "\x1e" "CODEEXEC %s done\n", nonce);
    emit(record, (size_t) n);
    return 0;
}
