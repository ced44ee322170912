/*
 * Fuzzing of the launcher's payload parser and record writer (issue 14), linked against the real
 * protocol.c, workdir.c and records.c and built with AddressSanitizer and UBSan by fuzz_launcher.py.
 *
 * 1. Parser: seed CE3 payloads mutated at random (truncation, byte flips, insertions, extreme numbers,
 *    lines dropped or repeated, pure garbage) are fed through read_payload from a file descriptor.
 *    Properties: no crash or sanitizer report, no hang (alarm), every refusal carries a one-line
 *    printable message (it becomes an `error` record), no descriptor left open by a payload, and the
 *    unmutated seeds are accepted.
 * 2. Writer: random run results and captures (any bytes, \x1e and \n included) go through emit_test /
 *    emit_compile / emit_error into a memfd and are parsed back the way the worker parses them: one
 *    header line, then exactly the announced bytes.
 * Usage: fuzz_launcher <iterations> <seed>; prints the seed; exit 0 when every property held.
 */
#define _GNU_SOURCE
#include "../launcher.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rng_state;
static unsigned char *current;
static size_t current_len;

static unsigned long long next(void) {  /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n) { return n == 0 ? 0 : (size_t) (next() % n); }

static void dump_current(const char *why) {
    fprintf(stderr, "FAIL: %s; frame (%zu bytes, hex):\n", why, current_len);
    for (size_t i = 0; i < current_len && i < 4096; i++) fprintf(stderr, "%02x", current[i]);
    fprintf(stderr, "\n");
}

static void on_alarm(int sig) {
    (void) sig;
    dump_current("read_payload did not return within 5 s");
    _exit(3);
}

static int open_fds(void) {
    int count = 0;
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) if (e->d_name[0] != '.') count++;
    closedir(d);
    return count - 1;  /* the DIR's own descriptor */
}

/* A valid payload: two files (one in a subdirectory), a compile line, a run line, n tests. */
static size_t seed_payload(unsigned char *out, size_t cap, int variant) {
    const char *nonce = "0123456789abcdef0123456789abcdef";
    int n = snprintf((char *) out, cap,
            "CE3 %s %d\n"
            "limits 1048576 65536 64 131072 2000 5000 524288 10000 20000\n"
            "files 2 7 12 8 3\nmain.pyprint('hi')\nlib/x.pyx=1"
            "compile %s"
            "run 2 7 7\npython3main.py"
            "tests %d\n",
            nonce, variant & 1, (variant & 2) ? "3 3 2 7\ngcc-cmain.py" : "0\n", 1 + variant % 3);
    size_t len = (size_t) n;
    for (int t = 0; t < 1 + variant % 3; t++) {
        size_t in = t > 0 ? 2 : 0;
        len += (size_t) snprintf((char *) out + len, cap - len, "%zu 1 3\n", in);
        memcpy(out + len, "ab", in);
        len += in;
        memcpy(out + len, "arg", 3);
        len += 3;
    }
    return len;
}

static const char *EXTREMES[] = {"0", "-1", "1", "64", "65", "999", "1000", "1001", "4294967296",
                                 "99999999999999999999999", "9223372036854775807", "-9223372036854775808",
                                 "18446744073709551615", "1e9", "0x10", "", " ", "+5", "007"};

static size_t mutate(unsigned char *buf, size_t len, size_t cap) {
    int rounds = 1 + (int) below(4);
    for (int k = 0; k < rounds; k++) {
        switch (below(7)) {
        case 0:  /* truncate */
            len = below(len + 1);
            break;
        case 1:  /* flip bytes */
            for (int i = 0, m = 1 + (int) below(8); i < m && len; i++) buf[below(len)] ^= (unsigned char) (1u << below(8));
            break;
        case 2: {  /* insert random bytes */
            size_t at = below(len + 1), m = 1 + below(16);
            if (len + m >= cap) break;
            memmove(buf + at + m, buf + at, len - at);
            for (size_t i = 0; i < m; i++) buf[at + i] = (unsigned char) next();
            len += m;
            break;
        }
        case 3: {  /* replace a run of digits with an extreme number */
            size_t at = below(len);
            while (at < len && (buf[at] < '0' || buf[at] > '9')) at++;
            if (at >= len) break;
            size_t end = at;
            while (end < len && buf[end] >= '0' && buf[end] <= '9') end++;
            const char *x = EXTREMES[below(sizeof EXTREMES / sizeof *EXTREMES)];
            size_t xl = strlen(x);
            if (len - (end - at) + xl >= cap) break;
            memmove(buf + at + xl, buf + end, len - end);
            memcpy(buf + at, x, xl);
            len = len - (end - at) + xl;
            break;
        }
        case 4: {  /* drop a line */
            size_t at = below(len), end = at;
            while (at > 0 && buf[at - 1] != '\n') at--;
            while (end < len && buf[end] != '\n') end++;
            if (end < len) end++;
            memmove(buf + at, buf + end, len - end);
            len -= end - at;
            break;
        }
        case 5: {  /* repeat the start of the frame (a second header where bytes were expected) */
            size_t m = below(len + 1);
            if (len + m >= cap) break;
            memmove(buf + m, buf, len);
            len += m;
            break;
        }
        default:  /* garbage */
            len = below(512);
            for (size_t i = 0; i < len; i++) buf[i] = (unsigned char) (below(4) ? next() : (unsigned long long) "CE3 \n0"[below(6)]);
        }
    }
    return len;
}

static int fuzz_parser(long iterations) {
    static unsigned char buf[1 << 16];
    char dir_template[] = "/tmp/ce-fuzz-XXXXXX";
    char *root = mkdtemp(dir_template);
    if (!root) { perror("mkdtemp"); return 1; }
    signal(SIGALRM, on_alarm);
    long accepted = 0, refused = 0;
    for (long it = 0; it < iterations; it++) {
        size_t len = seed_payload(buf, sizeof buf, (int) below(6));
        int pristine = it % 50 == 0;
        if (!pristine) len = mutate(buf, len, sizeof buf);
        current = buf;
        current_len = len;
        char build[256];
        snprintf(build, sizeof build, "%s/b%ld", root, it);
        if (mkdir(build, 0700) != 0) { perror("mkdir"); return 1; }
        int fds_before = open_fds();
        int fd = memfd_create("frame", 0);
        if (write(fd, buf, len) != (ssize_t) len || lseek(fd, 0, SEEK_SET) != 0) { perror("memfd"); return 1; }
        struct reader *r = malloc(sizeof *r);
        struct payload p;
        char error[512] = {0};
        reader_init(r, fd);
        alarm(5);
        int rc = read_payload(r, &p, build, error, sizeof error);
        alarm(0);
        if (rc == 1) {
            accepted++;
            free_payload(&p);
        } else {
            refused++;
            if (pristine) { dump_current("a valid seed payload was refused"); fprintf(stderr, "%s\n", error); return 1; }
            if (rc == -1 && error[0] == '\0') { dump_current("refused without a message"); return 1; }
            for (const char *c = error; *c; c++) {
                if (*c == '\n' || (unsigned char) *c < 0x20) { dump_current("error message is not one printable line"); return 1; }
            }
            /* after a refusal the launcher exits (host recycled): descriptors of a half-read payload do not matter */
            for (int t = 0; t < p.test_count; t++) if (p.tests && p.tests[t].stdin_fd > 0) close(p.tests[t].stdin_fd);
        }
        free(r);
        close(fd);
        if (rc == 1 && open_fds() != fds_before) { dump_current("an accepted payload left descriptors open"); return 1; }
        workdir_remove(build);
    }
    rmdir(root);
    printf("parser: %ld frames, %ld accepted, %ld refused, no crash, no hang\n", iterations, accepted, refused);
    return 0;
}

/* Parses one record back from the bytes emitted: returns the bytes consumed, or 0 when malformed. */
static size_t parse_record(const unsigned char *b, size_t n, size_t want_out, size_t want_err) {
    const unsigned char *nl = memchr(b, '\n', n);
    if (n < 10 || b[0] != 0x1e || !nl || memcmp(b + 1, "CODEEXEC ", 9) != 0) return 0;
    char header[1024];
    size_t hl = (size_t) (nl - b);
    if (hl >= sizeof header) return 0;
    memcpy(header, b, hl);
    header[hl] = 0;
    if (memchr(header, 0x1e, hl) != header) return 0;
    size_t out = 0, err = 0;
    char *o = strstr(header, " outLen="), *e = strstr(header, " errLen=");
    if (o) out = strtoull(o + 8, NULL, 10);
    if (e) err = strtoull(e + 8, NULL, 10);
    if (out != want_out || err != want_err) return 0;
    return hl + 1 + out + err <= n ? hl + 1 + out + err : 0;
}

static int fuzz_writer(long iterations) {
    static char data[2][70000];
    int saved = dup(1), saved_err = dup(2), devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 2);  /* emit_error also tells stderr: keep the fuzzer's output readable */
    for (long it = 0; it < iterations; it++) {
        struct run_result r = {(int) next(), (int) below(65), (long long) next(), (long long) next(),
                               (long long) next(), (int) below(2), (int) below(2), (int) below(2), (int) below(2)};
        struct capture c[2];
        for (int s = 0; s < 2; s++) {
            size_t len = below(4) ? below(300) : below(sizeof data[s]);
            for (size_t i = 0; i < len; i++) data[s][i] = below(5) ? (char) next() : "\x1e\n\0 "[below(4)];
            c[s] = (struct capture) {data[s], len, sizeof data[s], (long long) len + (long long) below(1000)};
        }
        int fd = memfd_create("records", 0);
        dup2(fd, 1);
        char message[300];
        for (size_t i = 0; i < sizeof message - 1; i++) message[i] = (char) (1 + below(255));
        message[sizeof message - 1] = 0;
        int kind = (int) below(3);
        if (kind == 0) emit_test("0123456789abcdef0123456789abcdef", (int) below(1000), &r, &c[0], &c[1]);
        else if (kind == 1) emit_compile("0123456789abcdef0123456789abcdef", &r, &c[0]);
        else emit_error("0123456789abcdef0123456789abcdef", message);
        emit_done("0123456789abcdef0123456789abcdef");
        dup2(saved, 1);
        off_t size = lseek(fd, 0, SEEK_END);
        unsigned char *bytes = malloc((size_t) size);
        if (pread(fd, bytes, (size_t) size, 0) != size) { perror("pread"); return 1; }
        close(fd);
        size_t used = parse_record(bytes, (size_t) size, kind == 2 ? 0 : c[0].len, kind == 0 ? c[1].len : 0);
        if (used == 0) { fprintf(stderr, "FAIL: record %d (kind %d) does not parse back\n", (int) it, kind); return 1; }
        static const char done[] = "\x1e" "CODEEXEC 0123456789abcdef0123456789abcdef done\n";
        if ((size_t) size - used != sizeof done - 1 || memcmp(bytes + used, done, sizeof done - 1) != 0) {
            fprintf(stderr, "FAIL: record %d (kind %d) spills into the next record\n", (int) it, kind);
            return 1;
        }
        free(bytes);
    }
    close(saved);
    dup2(saved_err, 2);
    close(saved_err);
    close(devnull);
    printf("writer: %ld records written and parsed back\n", iterations);
    return 0;
}

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 20000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 0;
    if (rng_state == 0) rng_state = (unsigned long long) getpid() * 2654435761ULL ^ (unsigned long long) time(NULL);
    printf("seed %llu (replay: fuzz_launcher %ld %llu)\n", rng_state, iterations, rng_state);
    fflush(stdout);
    if (fuzz_parser(iterations) != 0) return 1;
    fflush(stdout);
    return fuzz_writer(iterations / 4);
}
