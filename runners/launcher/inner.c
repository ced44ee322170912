/*
 * The inner sandbox of one run (a compile or a test):
 * 1. clone() into new user, pid, mount, ipc, net and uts namespaces; the child maps uid/gid 1000 to
 *    the launcher's own ids and becomes the run's init (PID 1, non-dumpable, dies with the launcher);
 * 2. the init builds the view: / private, /sandbox (build dir bound for a compile; overlay of the
 *    build dir under a fresh capped tmpfs for a test), a fresh /proc with Docker's masks, fresh
 *    /dev/shm and /dev/mqueue, hostname "sandbox";
 * 3. it forks the program (stdin memfd, capture pipes, no other fds, rlimits incl. the run's process
 *    budget, no capabilities, no_new_privs, seccomp, clean env), reaps everything, kills what is left
 *    when the program ends and reports the wait status and the run's rusage on the report pipe.
 */
#define _GNU_SOURCE
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

static int report_fd = -1;

/* Setup failed inside the init: tell the launcher why, and end the run. */
static void setup_failed(const char *what) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%csandbox setup: %s: %s", REPORT_ERROR, what, strerror(errno));
    if (n > 0) write(report_fd, msg, (size_t) n < sizeof msg ? (size_t) n : sizeof msg - 1);
    _exit(EXIT_ERROR);
}

static void write_text(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text)) setup_failed(path);
    close(fd);
}

/* uid/gid 1000 inside = the launcher's ids outside; written by the child itself (one line mapping
 * its own id is what an unprivileged process may map). */
static void map_ids(uid_t uid, gid_t gid) {
    char map[64];
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);  /* the id map files must be ours to write */
    write_text("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "%d %u 1", SANDBOX_UID, uid);
    write_text("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "%d %u 1", SANDBOX_UID, gid);
    write_text("/proc/self/gid_map", map);
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static void must_mount(const char *src, const char *target, const char *type, unsigned long flags, const char *data) {
    if (mount(src, target, type, flags, data) != 0) setup_failed(target);
}

/* What Docker masks and makes read-only in a container's /proc and /sys (moby's oci defaults). */
static const char *const masked[] = {
    "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
    "/sys/devices/virtual/powercap",
};
static const char *const read_only[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

static void mask_paths(void) {
    for (size_t i = 0; i < sizeof masked / sizeof masked[0]; i++) {
        struct stat st;
        if (stat(masked[i], &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            must_mount("tmpfs", masked[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0");
        } else {
            must_mount("/dev/null", masked[i], NULL, MS_BIND, NULL);
        }
    }
    for (size_t i = 0; i < sizeof read_only / sizeof read_only[0]; i++) {
        if (access(read_only[i], F_OK) != 0) continue;
        must_mount(read_only[i], read_only[i], NULL, MS_BIND | MS_REC, NULL);
        must_mount(NULL, read_only[i], NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    }
}

static void build_view(const struct run_spec *spec) {
    must_mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    if (spec->overlay) {
        char opts[256];
        snprintf(opts, sizeof opts, "size=%lld,nr_inodes=%d,mode=0755", spec->scratch_bytes, SCRATCH_INODES);
        must_mount("tmpfs", SCRATCH_DIR, "tmpfs", MS_NOSUID | MS_NODEV, opts);
        if (mkdir(SCRATCH_DIR "/u", 0755) != 0 || mkdir(SCRATCH_DIR "/w", 0755) != 0) setup_failed("scratch dirs");
        snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=" SCRATCH_DIR "/u,workdir=" SCRATCH_DIR "/w,userxattr",
                 spec->build_dir);
        must_mount("overlay", SANDBOX_DIR, "overlay", MS_NOSUID | MS_NODEV, opts);
    } else {
        must_mount(spec->build_dir, SANDBOX_DIR, NULL, MS_BIND, NULL);
    }
    must_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mask_paths();
    if (access("/dev/shm", F_OK) == 0) {
        char opts[64];
        snprintf(opts, sizeof opts, "size=%lld,nr_inodes=256,mode=1777", spec->scratch_bytes);
        must_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts);
    }
    if (access("/dev/mqueue", F_OK) == 0) {
        must_mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    }
    if (sethostname("sandbox", 7) != 0) setup_failed("sethostname");
}

/* A last step before exec failed: say so on the program's stderr (the capture) and end the run. */
static void program_failed(const char *what) {
    dprintf(2, "codeexec-launch: %s: %s\n", what, strerror(errno));
    _exit(126);
}

static void set_limit(int resource, rlim_t soft, rlim_t hard) {
    struct rlimit rl = {soft, hard};
    if (setrlimit(resource, &rl) != 0) program_failed("setrlimit");
}

/* The four fixed variables, plus what the runner image's ENV declares for its language (e.g.
 * GOTOOLCHAIN, PYTHONDONTWRITEBYTECODE): the container's environment without HOSTNAME (the container
 * id) and without anything that the fixed four replace. */
static char **program_environment(void) {
    static char *fixed[] = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" SANDBOX_DIR,
                            "TMPDIR=" SANDBOX_DIR, "LANG=C.UTF-8"};
    static const char *dropped[] = {"PATH=", "HOME=", "TMPDIR=", "LANG=", "HOSTNAME="};
    size_t count = 0;
    while (environ[count]) count++;
    char **env = calloc(count + 5, sizeof *env);
    if (!env) program_failed("environment");
    size_t n = 0;
    for (size_t i = 0; i < 4; i++) env[n++] = fixed[i];
    for (size_t i = 0; i < count; i++) {
        int keep = 1;
        for (size_t d = 0; d < sizeof dropped / sizeof dropped[0]; d++) {
            if (strncmp(environ[i], dropped[d], strlen(dropped[d])) == 0) keep = 0;
        }
        if (keep) env[n++] = environ[i];
    }
    env[n] = NULL;
    return env;
}

/* The program's process: never returns. */
static void exec_program(const struct run_spec *spec, int out_w, int err_w) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
    if (dup2(spec->stdin_fd, 0) < 0 || dup2(out_w, 1) < 0 || dup2(spec->merge_stderr ? out_w : err_w, 2) < 0) _exit(126);
    syscall(SYS_close_range, 3, ~0U, 0);

    rlim_t cpu_seconds = (rlim_t) ((spec->cpu_ms + 999) / 1000) + 1;  /* backstop; the launcher kills first */
    set_limit(RLIMIT_CPU, cpu_seconds, cpu_seconds + 1);
    rlim_t fsize = spec->file_bytes < 0 ? RLIM_INFINITY : (rlim_t) spec->file_bytes;
    set_limit(RLIMIT_FSIZE, fsize, fsize);
    set_limit(RLIMIT_CORE, 0, 0);
    set_limit(RLIMIT_NOFILE, OPEN_FILES_LIMIT, OPEN_FILES_LIMIT);
    /* Counted per user namespace and uid, i.e. per run (the init is one of them): the run's own
     * process budget, whatever the host's pids limit. */
    if (spec->processes >= 0) set_limit(RLIMIT_NPROC, (rlim_t) spec->processes + 1, (rlim_t) spec->processes + 1);

    if (setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) != 0 || setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) != 0)
        program_failed("setresuid");
    /* Root of its user namespace until now: drop every capability for good (bounding set too, so no
     * file capability can give one back at exec). */
    for (int cap = 0; cap <= 63; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    memset(data, 0, sizeof data);
    if (syscall(SYS_capset, &header, data) != 0) program_failed("capset");
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) program_failed("no_new_privs");
    if (chdir(SANDBOX_DIR) != 0) program_failed("chdir");
    if (seccomp_install_program_filter() != 0) program_failed("seccomp");

    execvpe(spec->argv[0], spec->argv, program_environment());
    dprintf(2, "codeexec-launch: cannot run %s: %s\n", spec->argv[0], strerror(errno));
    _exit(127);
}

static long long now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000LL + t.tv_nsec / 1000;
}

/* The run's init: PID 1 of the new pid namespace. */
static void inner_init(const struct run_spec *spec, uid_t uid, gid_t gid, int out_w, int err_w) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    map_ids(uid, gid);
    build_view(spec);

    long long started = now_us();
    pid_t program = fork();
    if (program < 0) setup_failed("fork");
    if (program == 0) exec_program(spec, out_w, err_w);
    close(out_w);
    close(err_w);
    char started_byte = REPORT_STARTED;
    write(report_fd, &started_byte, 1);

    struct inner_report report = {0};
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0 && errno == EINTR) continue;
        if (pid < 0) break;
        if (pid == program) {
            report.status = status;
            report.wall_us = now_us() - started;
            break;
        }
    }
    kill(-1, SIGKILL);  /* from a namespace's init: everything else in the namespace */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {
    }
    struct rusage usage;
    getrusage(RUSAGE_CHILDREN, &usage);
    report.cpu_us = usage.ru_utime.tv_sec * 1000000LL + usage.ru_utime.tv_usec + usage.ru_stime.tv_sec * 1000000LL
                  + usage.ru_stime.tv_usec;
    report.max_rss_kb = usage.ru_maxrss;
    char message[1 + sizeof report];
    message[0] = REPORT_DONE;
    memcpy(message + 1, &report, sizeof report);
    write(report_fd, message, sizeof message);
    _exit(0);
}

pid_t inner_start(const struct run_spec *spec, int out_w, int err_w, int report_w, int *pidfd) {
    uid_t uid = getuid();
    gid_t gid = getgid();
    int fd = -1;
    unsigned long flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS
                        | CLONE_PIDFD | SIGCHLD;
    /* Raw clone without a new stack: the child continues on a copy of ours, as after fork(). */
    long pid = syscall(SYS_clone, flags, NULL, &fd, NULL, NULL);
    if (pid < 0) return -1;
    if (pid == 0) {
        report_fd = report_w;
        inner_init(spec, uid, gid, out_w, err_w);
        _exit(EXIT_ERROR);
    }
    *pidfd = fd;
    return (pid_t) pid;
}
