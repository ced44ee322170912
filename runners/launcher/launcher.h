/*
 * codeexec-launch (protocol CE3, docs/launcher-protocol.md): what the parts share.
 * protocol.c reads payloads, records.c writes records, stream.c batches live output into chunk records, workdir.c owns the build directories,
 * supervise.c runs one compile or test and measures it, inner.c builds the inner sandbox the run lives
 * in, seccomp.c is the program's syscall filter, main.c is the serve loop.
 */
#ifndef CODEEXEC_LAUNCHER_H
#define CODEEXEC_LAUNCHER_H

#include <stddef.h>
#include <sys/types.h>

#define PROTOCOL_VERSION 3
#define NONCE_LEN 32
#define MAX_HEADER 8192          /* bytes per header line */
#define MAX_ARGS 64              /* argv items per line */
#define MAX_ARG_BYTES (1 << 20)  /* bytes per argv item */
#define MAX_FILES 64
#define MAX_NAME_BYTES 4096      /* bytes per file name (each segment at most 255) */
#define MAX_TESTS 1000
#define COMPILE_OUTPUT_CAP 65536 /* compiler output kept (stdout+stderr) */
#define OPEN_FILES_LIMIT 256     /* the program's RLIMIT_NOFILE */
#define SANDBOX_UID 1000         /* uid and gid of the program inside its user namespace */
#define SANDBOX_DIR "/sandbox"
#define SCRATCH_DIR "/sandbox/.scratch" /* mount point of each test's private tmpfs */
#define SCRATCH_HEADROOM (1 << 20)      /* a test's tmpfs: fileBytes plus this */
#define SCRATCH_INODES 4096             /* ... and at most this many inodes (ENOSPC, not kernel memory) */
#define POLL_MS 5                       /* supervision tick while a run is alive */
#define SETUP_TIMEOUT_MS 5000           /* an inner sandbox that takes longer to start is an error */
#define EXIT_ERROR 121                  /* the launcher's exit code after an error record */
#define FLAG_STOP_ON_FAILURE 1          /* payload flags (the CE3 line) */
#define FLAG_STREAM 2                   /* emit chunk records while a test runs */
#define CHUNK_MAX 16384                 /* bytes per chunk record */
#define CHUNK_FLUSH_MS 50               /* a pending chunk waits at most this long (coalesces chatty writes) */

/* Reading the payload stream (fd 0) with a buffer: nothing else reads the launcher's stdin. */
struct reader {
    int fd;
    size_t pos, len;
    char buf[65536];
};

struct limits {
    long long file_bytes, output_bytes, processes, memory_kb, cpu_ms, wall_ms;
    long long compile_memory_kb, compile_cpu_ms, compile_wall_ms;
};

struct test_case {
    int stdin_fd;  /* memfd holding the test's stdin */
    char **argv;   /* run argv + the test's extra arguments, NULL-terminated */
};

struct payload {
    char nonce[NONCE_LEN + 1];
    int stop_on_failure;
    int stream;           /* FLAG_STREAM: chunk records while tests run */
    struct limits limits;
    char **compile_argv;  /* NULL when there is nothing to compile */
    int test_count;
    struct test_case *tests;
};

/* Output of one stream: the first cap bytes and the count of every byte written. */
struct capture {
    char *data;
    size_t len, cap;
    long long total;
};

/*
 * Live output of one test (stream.c): the bytes the captures keep, sent as chunk records in the order
 * they were read, coalesced per stream up to CHUNK_MAX bytes or CHUNK_FLUSH_MS.
 */
struct streamer {
    const char *nonce;
    int test;
    int fd;                     /* stream of the pending bytes (1 or 2), 0 when none are pending */
    size_t len;
    long long first_ms;         /* when the oldest pending byte was read */
    char buf[CHUNK_MAX];
};

/* One compile or test as supervise.c runs it. */
struct run_spec {
    char **argv;
    int stdin_fd;              /* read-only descriptor of the run's stdin */
    int merge_stderr;          /* compile: stderr into the same capture as stdout */
    int kill_on_output_cap;    /* tests: a stream over its cap ends the run */
    long long cpu_ms, wall_ms, memory_kb;
    long long file_bytes;      /* RLIMIT_FSIZE, -1 = none */
    long long processes;       /* tasks the program may have at once (RLIMIT_NPROC, per run), -1 = none */
    const char *build_dir;     /* absolute path of the payload's build directory */
    int overlay;               /* test: /sandbox = overlay(build dir, fresh tmpfs); compile: bind of build dir */
    long long scratch_bytes;   /* size of the test's tmpfs */
    struct streamer *stream;   /* test with FLAG_STREAM: where kept output goes as it is read; else NULL */
};

struct run_result {
    int exit_code, signal;
    long long cpu_ms, memory_kb, wall_ms;
    int timed_out, cpu_exceeded, memory_exceeded, output_exceeded;
};

/* What the run's init tells the launcher when the program has ended. */
struct inner_report {
    int status;             /* wait status of the program */
    long long cpu_us;       /* RUSAGE_CHILDREN of the init: every process of the run */
    long long max_rss_kb;   /* largest single process */
    long long wall_us;      /* program start to program end */
};
#define REPORT_STARTED 'S'  /* first byte on the report pipe: the program was forked */
#define REPORT_DONE 'D'     /* then this byte and a struct inner_report */
#define REPORT_ERROR 'E'    /* or this byte and a message: the sandbox could not be built */

/* protocol.c */
void reader_init(struct reader *r, int fd);
int read_payload(struct reader *r, struct payload *p, const char *build_dir, char *error, size_t error_len);
void free_payload(struct payload *p);
int reader_exact(struct reader *r, void *dst, size_t n);
int reader_copy_to_fd(struct reader *r, int fd, size_t n);

/* records.c */
void emit_ready(void);
void emit_compile(const char *nonce, const struct run_result *r, const struct capture *out);
void emit_test(const char *nonce, int index, const struct run_result *r, const struct capture *out,
               const struct capture *err);
void emit_chunk(const char *nonce, int test, int fd, const char *data, size_t len);
void emit_done(const char *nonce);
void emit_error(const char *nonce, const char *message);
void write_all(int fd, const void *buf, size_t n);

/* stream.c */
void streamer_init(struct streamer *s, const char *nonce, int test);
void streamer_add(struct streamer *s, int fd, const char *data, size_t len, long long now_ms);
void streamer_tick(struct streamer *s, long long now_ms);
void streamer_flush(struct streamer *s);

/* workdir.c */
int workdir_prepare(void);
int workdir_create(char *path, size_t len);
int workdir_valid_name(const char *name, size_t len);
int workdir_write_file(const char *build_dir, const char *name, struct reader *r, size_t len);
void workdir_remove(const char *path);

/* supervise.c */
int cgroup_open(void);
int run_supervised(const struct run_spec *spec, struct capture *out, struct capture *err,
                   struct run_result *result, char *error, size_t error_len);

/* inner.c */
pid_t inner_start(const struct run_spec *spec, int out_w, int err_w, int report_w, int *pidfd);

/* seccomp.c */
int seccomp_install_program_filter(void);

#endif
