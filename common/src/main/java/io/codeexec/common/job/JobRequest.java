package io.codeexec.common.job;

import java.util.List;

/**
 * What a job runs: validated and with limits resolved by the API before it is queued.
 * The program is either {@code code} (one file, named by the language) or {@code files} (several,
 * with {@code entrypoint} the one that runs, resolved by the API: never null with files); exactly one
 * of the two is set.
 * {@code callbackUrl}, when set, receives the finished job document (delivered through the outbox by the worker's OutboxDelivery).
 * With {@code tests}, the program is compiled once and run once per test in the same container, and
 * each test's stdout is compared with its expected output as {@code compare} says.
 */
public record JobRequest(String language, String code, String stdin, List<String> args, Limits limits,
                         String callbackUrl, List<TestCase> tests, Comparison compare, boolean stopOnFirstFailure,
                         List<String> compilerOptions, List<SourceFile> files, String entrypoint) {
    public JobRequest {
        stdin = stdin == null ? "" : stdin;
        args = args == null ? List.of() : List.copyOf(args);
        tests = tests == null ? List.of() : List.copyOf(tests);
        compare = compare == null ? Comparison.TRIMMED : compare;
        compilerOptions = compilerOptions == null ? List.of() : List.copyOf(compilerOptions);
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A one-file program ({@code code}). */
    public JobRequest(String language, String code, String stdin, List<String> args, Limits limits,
                      String callbackUrl, List<TestCase> tests, Comparison compare, boolean stopOnFirstFailure,
                      List<String> compilerOptions) {
        this(language, code, stdin, args, limits, callbackUrl, tests, compare, stopOnFirstFailure, compilerOptions,
                List.of(), null);
    }

    public JobRequest(String language, String code, String stdin, List<String> args, Limits limits, String callbackUrl) {
        this(language, code, stdin, args, limits, callbackUrl, List.of(), Comparison.TRIMMED, false, List.of());
    }

    public JobRequest(String language, String code, String stdin, List<String> args, Limits limits) {
        this(language, code, stdin, args, limits, null);
    }

    public boolean hasTests() {
        return !tests.isEmpty();
    }

    /** True when the program came as {@code files} rather than {@code code}. */
    public boolean hasFiles() {
        return !files.isEmpty();
    }
}
