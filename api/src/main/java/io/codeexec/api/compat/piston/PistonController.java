package io.codeexec.api.compat.piston;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.SubmissionValidator;
import io.codeexec.api.compat.CompatError;
import io.codeexec.api.compat.CompatHandler;
import io.codeexec.api.compat.V1Gateway;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.Limits;
import io.codeexec.common.queue.QueueFullException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Piston v2 on top of the v1 job model: POST /api/v2/execute (synchronous: queues one v1 job and waits
 * for it, at most MAX_WAIT_SECONDS; past that the job is cancelled and the answer is 504) and
 * GET /api/v2/runtimes. Errors are Piston's {"message": ...}. HTTP I/O only.
 */
public final class PistonController {
    private static final int RETRY_SECONDS = 2;
    private static final CompatHandler.Translator TRANSLATE = e -> new CompatError(CompatHandler.v1Status(e),
            Map.of("message", e.getMessage()), e instanceof QueueFullException || CompatHandler.v1Status(e) == 503
                    ? RETRY_SECONDS : null);

    private final V1Gateway gateway;
    private final PistonRuntimes runtimes;
    private final Limits maxima;
    private final LanguageCatalog catalog = LanguageCatalog.standard();

    public PistonController(V1Gateway gateway, Supplier<List<LanguageInfo>> installed, Limits maxima) {
        this.gateway = gateway;
        this.runtimes = new PistonRuntimes(installed);
        this.maxima = maxima;
    }

    /** Registers the routes inside an ApiBuilder block. */
    public void routes() {
        post("/api/v2/execute", CompatHandler.guard(this::execute, TRANSLATE));
        get("/api/v2/runtimes", CompatHandler.guard(this::runtimes, TRANSLATE));
    }

    void runtimes(Context ctx) {
        ctx.json(runtimes.all().stream().map(rt -> {
            Map<String, Object> entry = new java.util.LinkedHashMap<>();
            entry.put("language", rt.language());
            entry.put("version", rt.version());
            entry.put("aliases", rt.aliases());
            if (rt.runtime() != null) {
                entry.put("runtime", rt.runtime());
            }
            return entry;
        }).toList());
    }

    void execute(Context ctx) {
        long received = System.nanoTime();
        String type = ctx.header("Content-Type");
        // Piston wants application/json; the npm piston-client sends its JSON as text/plain (node-fetch's
        // default), so that is accepted too, as is no type at all: the body must still be JSON.
        if (type != null && !type.startsWith("application/json") && !type.startsWith("text/plain")) {
            throw PistonRequest.error(415, "requests must be of type application/json");
        }
        JsonNode body = SubmissionValidator.parse(ctx.bodyAsBytes());
        PistonRequest.Translation translation = PistonRequest.translate(body, runtimes, maxima);
        JobRequest request = gateway.validate(ctx, translation.v1Body());
        String id = gateway.submit(ctx, request, received);
        boolean compiled = catalog.find(request.language()).map(Language::compiled).orElse(false);
        CompatHandler.future(ctx, gateway.awaitFinal(id).thenAccept(job -> answer(ctx, id, translation, compiled, job)),
                TRANSLATE);
    }

    private void answer(Context ctx, String id, PistonRequest.Translation translation, boolean compiled, Optional<Job> job) {
        Job current = job.orElseThrow(() -> PistonRequest.error(500, "The job's result is no longer available"));
        if (!current.status().isFinal()) {
            // A synchronous run nobody waits for any more only takes a worker from others: cancel it.
            if (gateway.cancel(id)) {
                throw PistonRequest.error(504, "The job did not finish within " + gateway.maxWait().toSeconds()
                        + " s (the queue may be busy) and was cancelled");
            }
            current = gateway.find(ctx, id).orElseThrow(() -> PistonRequest.error(500, "The job's result is no longer available"));
        }
        if (current.result() == null) {
            throw PistonRequest.error(500, "The job was cancelled");
        }
        ctx.status(200).json(PistonResult.answer(translation.runtime(), compiled, current.result()));
    }
}
