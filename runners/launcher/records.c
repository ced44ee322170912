/*
 * CE3 records on stdout (docs/launcher-protocol.md): the ready line, then per payload a record per run
 * (compile, test=<i>) followed by the bytes it announces, and `done` or `error`; with FLAG_STREAM also
 * chunk records (stream.c) before each test's record. Every record starts
 * with \x1e and the payload's nonce; programs never write to these streams.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) {
            dprintf(2, "codeexec-launch: writing records: %s\n", strerror(errno));
            _exit(EXIT_ERROR);
        }
        p += w;
        n -= (size_t) w;
    }
}

void emit_ready(void) {
    char line[64];
    int n = snprintf(line, sizeof line, "\x1e" "CODEEXEC-READY %d\n", PROTOCOL_VERSION);
    write_all(1, line, (size_t) n);
}

static int run_fields(char *buf, size_t cap, const struct run_result *r) {
    return snprintf(buf, cap, "exit=%d signal=%d cpuMs=%lld memoryKb=%lld wallMs=%lld timedOut=%d cpuExceeded=%d"
                    " memoryExceeded=%d", r->exit_code, r->signal, r->cpu_ms, r->memory_kb, r->wall_ms,
                    r->timed_out, r->cpu_exceeded, r->memory_exceeded);
}

void emit_compile(const char *nonce, const struct run_result *r, const struct capture *out) {
    char fields[256], line[512];
    run_fields(fields, sizeof fields, r);
    int n = snprintf(line, sizeof line, "\x1e" "CODEEXEC %s compile %s outLen=%zu outTotal=%lld\n", nonce, fields,
                     out->len, out->total);
    write_all(1, line, (size_t) n);
    write_all(1, out->data, out->len);
}

void emit_test(const char *nonce, int index, const struct run_result *r, const struct capture *out,
               const struct capture *err) {
    char fields[256], line[512];
    run_fields(fields, sizeof fields, r);
    int n = snprintf(line, sizeof line, "\x1e" "CODEEXEC %s test=%d %s outLen=%zu outTotal=%lld errLen=%zu errTotal=%lld\n",
                     nonce, index, fields, out->len, out->total, err->len, err->total);
    write_all(1, line, (size_t) n);
    write_all(1, out->data, out->len);
    write_all(1, err->data, err->len);
}

void emit_chunk(const char *nonce, int test, int fd, const char *data, size_t len) {
    char record[128 + CHUNK_MAX];
    int n = snprintf(record, 128, "\x1e" "CODEEXEC %s chunk test=%d fd=%d len=%zu\n", nonce, test, fd, len);
    memcpy(record + n, data, len);
    write_all(1, record, (size_t) n + len);  /* one write: header and bytes together */
}

void emit_done(const char *nonce) {
    char line[128];
    int n = snprintf(line, sizeof line, "\x1e" "CODEEXEC %s done\n", nonce);
    write_all(1, line, (size_t) n);
}

void emit_error(const char *nonce, const char *message) {
    char line[1024];
    int n = snprintf(line, sizeof line, "\x1e" "CODEEXEC %s error %s", nonce[0] ? nonce : "-", message);
    if (n < 0 || (size_t) n >= sizeof line - 1) n = (int) sizeof line - 2;
    for (int i = 0; i < n; i++) if (line[i] == '\n') line[i] = ' ';
    line[n++] = '\n';
    write_all(1, line, (size_t) n);
    dprintf(2, "codeexec-launch: %s\n", message);
}
