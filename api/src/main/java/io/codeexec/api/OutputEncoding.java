package io.codeexec.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.RawOutput;
import io.codeexec.common.json.Json;
import io.codeexec.common.queue.JobStore;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * ?encoding= on GET /jobs/{id}: "text" (default) gives stdout/stderr as UTF-8 text with invalid bytes
 * replaced; "base64" gives the exact bytes the program wrote, base64-encoded.
 */
final class OutputEncoding {
    private final JobStore store;

    OutputEncoding(JobStore store) {
        this.store = store;
    }

    /** True when the request asks for base64; a value other than text or base64 is a 400. */
    static boolean wantsBase64(Context ctx) {
        String raw = ctx.queryParam("encoding");
        if (raw == null || raw.equals("text") || raw.equalsIgnoreCase("utf-8")) {
            return false;
        }
        if (raw.equals("base64")) {
            return true;
        }
        throw new ApiError(400, "invalid_value", "encoding must be text or base64, got '" + raw + "'", "encoding");
    }

    /** The job document with its output in base64 (exact bytes where kept, else the text's UTF-8 bytes). */
    Object base64(Job job) {
        ObjectNode tree = Json.MAPPER.valueToTree(job);
        if (job.result() == null) {
            return tree;
        }
        Optional<RawOutput> raw = store.rawOutput(job.id());
        byte[] stdout = raw.map(RawOutput::stdout).orElseGet(() -> utf8(job.result().stdout()));
        byte[] stderr = raw.map(RawOutput::stderr).orElseGet(() -> utf8(job.result().stderr()));
        ObjectNode result = (ObjectNode) tree.get("result");
        result.put("stdout", Base64.getEncoder().encodeToString(stdout));
        result.put("stderr", Base64.getEncoder().encodeToString(stderr));
        result.put("encoding", "base64");
        return tree;
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
