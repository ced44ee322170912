package io.codeexec.e2e;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated request: what is sent, and what the fuzzer may expect of the answer.
 *
 * @param truncateTo  ≥ 0: send only this many body bytes, then end the connection's output
 * @param httpBroken  malformed at the HTTP level (request line, header syntax): the server may refuse
 *                    it before routing, so a closed connection is an acceptable answer
 */
record FuzzRequest(String method, String target, List<String[]> headers, byte[] body, int truncateTo,
                   boolean httpBroken) {

    static FuzzRequest json(String method, String target, String body) {
        return new FuzzRequest(method, target, List.<String[]>of(new String[] {"Content-Type", "application/json"}),
                body.getBytes(StandardCharsets.UTF_8), -1, false);
    }

    /** Waits for a job by design: the synchronous /run and ?wait= long polls. */
    boolean waits() {
        return target.startsWith("/run/") || target.contains("wait=") || target.startsWith("/api/v2/execute")
                || target.startsWith("/judge0/submissions");
    }

    boolean legacyRoute() {
        return target.startsWith("/run/");
    }

    /** Shown when a property fails (and after shrinking): enough to replay it by hand. */
    @Override
    public String toString() {
        String head = headers.stream().map(h -> h[0] + ": " + RawHttp.abbreviate(h[1])).collect(Collectors.joining(" | "));
        String text = body == null ? "<none>" : RawHttp.abbreviate(new String(body, StandardCharsets.UTF_8));
        return method + " " + RawHttp.abbreviate(target) + " [" + head + "] body=" + text
                + (truncateTo >= 0 ? " (truncated to " + truncateTo + " bytes)" : "");
    }
}
