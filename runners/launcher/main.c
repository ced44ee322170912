/*
 * codeexec-launch: PID 1 of a sandbox host (a runner container), protocol CE3.
 * 1. `--serve`: prints the ready line, then runs payloads one after another until stdin ends;
 *    `--once`: the same for exactly one payload.
 * 2. Per payload: a fresh build directory with the files, the compile step (if any), then each test,
 *    every one in its own inner sandbox (inner.c) under supervision (supervise.c); a record per run,
 *    then `done`; the build directory is removed.
 * 3. A malformed payload or a sandbox that cannot be built: an `error` record, exit non-zero (the
 *    worker recycles the host). Nothing a program does can reach the launcher: it lives outside the
 *    program's pid and user namespaces and is non-dumpable.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

static struct reader input;

static int failed(const struct run_result *r) {
    return r->exit_code != 0 || r->signal != 0 || r->timed_out || r->cpu_exceeded || r->memory_exceeded
        || r->output_exceeded;
}

static void capture_alloc(struct capture *c, size_t cap) {
    c->data = malloc(cap ? cap : 1);
    if (!c->data) {
        dprintf(2, "codeexec-launch: out of memory\n");
        _exit(EXIT_ERROR);
    }
    memset(c->data, 0, cap ? cap : 1);  /* touched now, so the run's memory baseline includes it */
    c->cap = cap;
    c->len = 0;
    c->total = 0;
}

static void fail_payload(const char *nonce, const char *message, const char *build_dir) {
    emit_error(nonce, message);
    if (build_dir) workdir_remove(build_dir);
    _exit(EXIT_ERROR);
}

/* Runs one payload to its done record; returns 0, or exits after an error record. */
static int serve_one(void) {
    char build_dir[64], error[512];
    if (workdir_create(build_dir, sizeof build_dir) != 0) fail_payload("", "cannot create the build directory", NULL);
    struct payload p;
    int got = read_payload(&input, &p, build_dir, error, sizeof error);
    if (got == 0) {
        workdir_remove(build_dir);
        return 1;
    }
    if (got < 0) fail_payload(p.nonce, error, build_dir);

    const struct limits *l = &p.limits;
    struct capture out, err;
    if (p.compile_argv) {
        capture_alloc(&out, COMPILE_OUTPUT_CAP);
        capture_alloc(&err, 0);
        int empty = memfd_create("empty", MFD_CLOEXEC);
        struct run_spec spec = {
            .argv = p.compile_argv, .stdin_fd = empty, .merge_stderr = 1, .kill_on_output_cap = 0,
            .cpu_ms = l->compile_cpu_ms, .wall_ms = l->compile_wall_ms, .memory_kb = l->compile_memory_kb,
            .file_bytes = -1, .processes = -1, .build_dir = build_dir, .overlay = 0, .scratch_bytes = l->file_bytes + SCRATCH_HEADROOM,
        };
        struct run_result r;
        if (empty < 0 || run_supervised(&spec, &out, &err, &r, error, sizeof error) != 0) fail_payload(p.nonce, error, build_dir);
        close(empty);
        emit_compile(p.nonce, &r, &out);
        free(out.data);
        free(err.data);
        if (failed(&r)) {
            emit_done(p.nonce);
            workdir_remove(build_dir);
            free_payload(&p);
            return 0;
        }
    }
    capture_alloc(&out, (size_t) l->output_bytes);
    capture_alloc(&err, (size_t) l->output_bytes);
    static struct streamer stream;
    for (int t = 0; t < p.test_count; t++) {
        streamer_init(&stream, p.nonce, t);
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", p.tests[t].stdin_fd);
        int stdin_ro = open(path, O_RDONLY | O_CLOEXEC);  /* the program may read its stdin, not rewrite it */
        if (stdin_ro < 0) fail_payload(p.nonce, "cannot reopen a test's stdin", build_dir);
        struct run_spec spec = {
            .argv = p.tests[t].argv, .stdin_fd = stdin_ro, .merge_stderr = 0, .kill_on_output_cap = 1,
            .cpu_ms = l->cpu_ms, .wall_ms = l->wall_ms, .memory_kb = l->memory_kb, .file_bytes = l->file_bytes,
            .processes = l->processes, .build_dir = build_dir, .overlay = 1, .scratch_bytes = l->file_bytes + SCRATCH_HEADROOM,
            .stream = p.stream ? &stream : NULL,
        };
        struct run_result r;
        if (run_supervised(&spec, &out, &err, &r, error, sizeof error) != 0) fail_payload(p.nonce, error, build_dir);
        close(stdin_ro);
        emit_test(p.nonce, t, &r, &out, &err);
        if (p.stop_on_failure && failed(&r)) break;
    }
    free(out.data);
    free(err.data);
    emit_done(p.nonce);
    workdir_remove(build_dir);
    free_payload(&p);
    return 0;
}

int main(int argc, char **argv) {
    int once = argc == 2 && strcmp(argv[1], "--once") == 0;
    if (argc != 2 || (!once && strcmp(argv[1], "--serve") != 0)) {
        dprintf(2, "usage: codeexec-launch --serve | --once\n");
        return 2;
    }
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    signal(SIGPIPE, SIG_IGN);  /* a vanished worker shows up as a failed write, then we exit */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {  /* up to 1000 tests hold a stdin memfd each */
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    reader_init(&input, 0);
    if (workdir_prepare() != 0) fail_payload("", "cannot prepare " SCRATCH_DIR, NULL);
    if (cgroup_open() != 0) dprintf(2, "codeexec-launch: container cgroup not readable: CPU and memory from rusage only\n");
    emit_ready();
    do {
        if (serve_one() != 0) return 0;  /* end of input */
    } while (!once);
    return 0;
}
