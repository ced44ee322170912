package io.codeexec.common.job;

import java.util.List;

/** What a job runs: validated and with limits resolved by the API before it is queued. */
public record JobRequest(String language, String code, String stdin, List<String> args, Limits limits) {
    public JobRequest {
        stdin = stdin == null ? "" : stdin;
        args = args == null ? List.of() : List.copyOf(args);
    }
}
