/*
 * Supervises one run (a compile or a test) from outside its inner sandbox:
 * 1. captures stdout/stderr through pipes, counting every byte and keeping the first cap bytes (which,
 *    for a streamed test, also go out as chunk records while it runs: stream.c);
 * 2. measures the whole run from the container's cgroup: CPU (cpuacct / cpu.stat delta, minus the
 *    launcher's own), memory (anon + shmem above the baseline taken before the run, peak kept) and
 *    OOM kills; also the init's rusage of every process it reaped;
 * 3. kills the run's init (and with it the whole pid namespace) at the wall clock, CPU, memory or
 *    output limit. poll() on the pipes, the report pipe and a pidfd with a POLL_MS tick: no spin
 *    when the program closes its streams.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cpu_fd = -1, cpu_v2;          /* cpuacct.usage (ns) or cpu.stat (usage_usec) */
static int mem_fd = -1, mem_v2;          /* memory.stat */
static int oom_fd = -1;                  /* memory.oom_control (v1) or memory.events (v2): oom_kill */

static int open_first(const char *v1, const char *v2, int *is_v2) {
    int fd = open(v2, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        *is_v2 = 1;
        return fd;
    }
    *is_v2 = 0;
    return open(v1, O_RDONLY | O_CLOEXEC);
}

int cgroup_open(void) {
    int ignored;
    cpu_fd = open_first("/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu.stat", &cpu_v2);
    mem_fd = open_first("/sys/fs/cgroup/memory/memory.stat", "/sys/fs/cgroup/memory.stat", &mem_v2);
    oom_fd = open_first("/sys/fs/cgroup/memory/memory.oom_control", "/sys/fs/cgroup/memory.events", &ignored);
    return cpu_fd >= 0 && mem_fd >= 0 ? 0 : -1;
}

/* The value of "key <n>" in a cgroup key-value file; -1 if absent. */
static long long keyed(int fd, const char *key) {
    char buf[8192];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    size_t klen = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ') return atoll(line + klen + 1);
    }
    return -1;
}

/* CPU of the whole container in microseconds; -1 if unknown. */
static long long container_cpu_us(void) {
    if (cpu_fd < 0) return -1;
    if (cpu_v2) return keyed(cpu_fd, "usage_usec");
    char buf[64];
    ssize_t n = pread(cpu_fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return -1;
    buf[n] = '\0';
    return atoll(buf) / 1000;
}

/* Anonymous + shared (tmpfs, memfd) memory of the container in KiB; -1 if unknown. */
static long long container_memory_kb(void) {
    if (mem_fd < 0) return -1;
    long long anon = keyed(mem_fd, mem_v2 ? "anon" : "total_rss");
    long long shmem = keyed(mem_fd, mem_v2 ? "shmem" : "total_shmem");
    if (anon < 0 || shmem < 0) return -1;
    return (anon + shmem) / 1024;
}

static long long container_oom_kills(void) {
    return oom_fd < 0 ? -1 : keyed(oom_fd, "oom_kill");
}

static long long self_cpu_us(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec * 1000000LL + u.ru_utime.tv_usec + u.ru_stime.tv_sec * 1000000LL + u.ru_stime.tv_usec;
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

/* Reads what is there into the capture (and the kept bytes into the live stream, if any); returns 0 at
 * end of file (or error), 1 otherwise. */
static int capture_read(int fd, struct capture *c, struct streamer *stream, int stream_fd) {
    char buf[65536];
    ssize_t r = read(fd, buf, sizeof buf);
    if (r < 0) return errno == EINTR || errno == EAGAIN ? 1 : 0;
    if (r == 0) return 0;
    size_t room = c->cap - c->len;
    size_t take = (size_t) r < room ? (size_t) r : room;
    memcpy(c->data + c->len, buf, take);
    c->len += take;
    if (stream && take > 0) streamer_add(stream, stream_fd, buf, take, now_ms());
    c->total += r;
    return 1;
}

struct run_state {
    pid_t init;
    int pidfd;
    int killed;
};

static void kill_run(struct run_state *s) {
    if (s->killed) return;
    s->killed = 1;
    if (syscall(SYS_pidfd_send_signal, s->pidfd, SIGKILL, NULL, 0) != 0) kill(s->init, SIGKILL);
}

#define FAIL(...) do { snprintf(error, error_len, __VA_ARGS__); return -1; } while (0)

int run_supervised(const struct run_spec *spec, struct capture *out, struct capture *err,
                   struct run_result *result, char *error, size_t error_len) {
    memset(result, 0, sizeof *result);
    out->len = err->len = 0;
    out->total = err->total = 0;
    int out_pipe[2], err_pipe[2], report_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 || pipe2(report_pipe, O_CLOEXEC) != 0)
        FAIL("pipe: %s", strerror(errno));
    long long memory_base = container_memory_kb();
    long long ooms_before = container_oom_kills();
    long long created = now_ms();

    struct run_state s = {0};
    s.init = inner_start(spec, out_pipe[1], err_pipe[1], report_pipe[1], &s.pidfd);
    int clone_errno = errno;
    close(out_pipe[1]);
    close(err_pipe[1]);
    close(report_pipe[1]);
    if (s.init < 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        close(report_pipe[0]);
        FAIL("cannot create the inner sandbox (clone): %s", strerror(clone_errno));
    }
    fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(err_pipe[0], F_SETFL, O_NONBLOCK);

    struct pollfd fds[4] = {
        {out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {report_pipe[0], POLLIN, 0}, {s.pidfd, POLLIN, 0}};
    char report[1 + sizeof(struct inner_report) + 512];
    size_t report_len = 0;
    long long started = -1, cpu_base = 0, self_base = 0, memory_peak = 0;
    int ended = 0;
    while (!ended) {
        /* past half the memory limit, look every millisecond: less overshoot before the kill */
        int ready = poll(fds, 4, memory_peak * 2 > spec->memory_kb ? 1 : POLL_MS);
        if (ready < 0 && errno != EINTR) FAIL("poll: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !fds[i].revents) continue;
            struct capture *c = i == 0 ? out : err;
            if (!capture_read(fds[i].fd, c, spec->stream, i + 1)) fds[i].fd = -1;  /* closed: stop polling it (no spin) */
            if (spec->kill_on_output_cap && c->total > (long long) c->cap) {
                result->output_exceeded = 1;
                kill_run(&s);
            }
        }
        if (fds[2].fd >= 0 && fds[2].revents) {
            ssize_t n = read(fds[2].fd, report + report_len, sizeof report - report_len);
            if (n <= 0) fds[2].fd = -1;
            else report_len += (size_t) n;
            if (started < 0 && report_len > 0 && report[0] == REPORT_STARTED) {
                started = now_ms();
                cpu_base = container_cpu_us();
                self_base = self_cpu_us();
            }
        }
        if (fds[3].revents) ended = 1;
        long long now = now_ms();
        if (spec->stream) streamer_tick(spec->stream, now);
        long long memory = container_memory_kb();
        if (memory >= 0 && memory_base >= 0 && memory - memory_base > memory_peak) memory_peak = memory - memory_base;
        if (ended || s.killed) continue;
        if (started < 0) {
            if (now - created > SETUP_TIMEOUT_MS) {
                kill_run(&s);
                snprintf(report, sizeof report, "%csandbox setup took over %d ms", REPORT_ERROR, SETUP_TIMEOUT_MS);
                report_len = strlen(report);
            }
            continue;
        }
        if (now - started > spec->wall_ms) {
            result->timed_out = 1;
            kill_run(&s);
        } else if (container_cpu_us() - cpu_base - (self_cpu_us() - self_base) > spec->cpu_ms * 1000) {
            result->cpu_exceeded = 1;
            kill_run(&s);
        } else if (memory_peak > spec->memory_kb || (ooms_before >= 0 && container_oom_kills() > ooms_before)) {
            result->memory_exceeded = 1;
            kill_run(&s);
        }
    }
    long long ended_at = now_ms();
    int status = 0;
    while (waitpid(s.init, &status, __WALL) < 0 && errno == EINTR) {
    }
    long long cpu_used = started >= 0 ? container_cpu_us() - cpu_base - (self_cpu_us() - self_base) : 0;
    close(s.pidfd);
    /* The namespace is gone, so every writer is: drain what is left up to end of file. */
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd < 0) continue;
        struct capture *c = i == 0 ? out : err;
        while (capture_read(fds[i].fd, c, spec->stream, i + 1)) {
        }
    }
    if (spec->stream) streamer_flush(spec->stream);  /* every chunk of a test precedes its record */
    if (spec->kill_on_output_cap && (out->total > (long long) out->cap || err->total > (long long) err->cap))
        result->output_exceeded = 1;
    for (;;) {
        ssize_t n = read(report_pipe[0], report + report_len, sizeof report - report_len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        report_len += (size_t) n;
    }
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(report_pipe[0]);

    /* The report: 'E' message, or 'S' then 'D' + struct inner_report (absent when we killed the init). */
    if (report_len > 0 && report[0] == REPORT_ERROR) {
        report[report_len < sizeof report ? report_len : sizeof report - 1] = '\0';
        FAIL("%s", report + 1);
    }
    if (started < 0 && report_len > 0 && report[0] == REPORT_STARTED) {
        started = ended_at;  /* the program ended before a tick saw it start: rusage has its CPU */
        cpu_used = 0;
    }
    if (started < 0) FAIL("the inner sandbox ended before its program started (init status %d)", status);
    struct inner_report inner = {0};
    int have_report = report_len >= 2 + sizeof inner && report[1] == REPORT_DONE;
    if (have_report) memcpy(&inner, report + 2, sizeof inner);

    if (ooms_before >= 0 && container_oom_kills() > ooms_before) result->memory_exceeded = 1;
    if (have_report && !s.killed) {
        result->exit_code = WIFEXITED(inner.status) ? WEXITSTATUS(inner.status) : -1;
        result->signal = WIFSIGNALED(inner.status) ? WTERMSIG(inner.status) : 0;
        result->wall_ms = inner.wall_us / 1000;
    } else {
        result->exit_code = -1;
        result->signal = SIGKILL;
        result->wall_ms = ended_at - started;
    }
    long long cpu_ms = cpu_used / 1000;
    if (have_report && inner.cpu_us / 1000 > cpu_ms) cpu_ms = inner.cpu_us / 1000;
    result->cpu_ms = cpu_ms < 0 ? 0 : cpu_ms;
    result->memory_kb = memory_peak;
    if (have_report && inner.max_rss_kb > result->memory_kb) result->memory_kb = inner.max_rss_kb;
    /* A run that passed a limit between two ticks (or met the RLIMIT_CPU backstop) is over it too. */
    if (result->cpu_ms > spec->cpu_ms || result->signal == SIGXCPU) result->cpu_exceeded = 1;
    if (result->memory_kb > spec->memory_kb) result->memory_exceeded = 1;
    if (result->wall_ms > spec->wall_ms) result->timed_out = 1;
    return 0;
}
