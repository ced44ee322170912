package io.codeexec.common.job;

import java.util.List;

/**
 * What a job runs: validated and with limits resolved by the API before it is queued.
 * {@code callbackUrl}, when set, receives the finished job document (see the worker's CallbackDispatcher).
 */
public record JobRequest(String language, String code, String stdin, List<String> args, Limits limits, String callbackUrl) {
    public JobRequest {
        stdin = stdin == null ? "" : stdin;
        args = args == null ? List.of() : List.copyOf(args);
    }

    public JobRequest(String language, String code, String stdin, List<String> args, Limits limits) {
        this(language, code, stdin, args, limits, null);
    }
}
