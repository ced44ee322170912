package io.codeexec.api.compat.judge0;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.ApiConfig;
import io.codeexec.api.SubmissionValidator;
import io.codeexec.api.compat.CompatError;
import io.codeexec.api.compat.CompatHandler;
import io.codeexec.api.compat.V1Gateway;
import io.codeexec.common.compat.judge0.Judge0Status;
import io.codeexec.common.compat.judge0.Judge0Submission;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Job;
import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.job.Limits;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Judge0 CE under /judge0 on top of the v1 job model (the token is the job id): submissions (one,
 * ?wait=true bounded by MAX_WAIT_SECONDS, then the submission as it stands), batches, languages,
 * statuses, about. Errors in Judge0's shapes: 422 {"field": [..]}, 400/404/503 {"error": ".."}. HTTP I/O only.
 */
public final class Judge0Controller {
    /** Most submissions in one batch create or read. */
    static final int MAX_BATCH = 100;
    private static final int RETRY_SECONDS = 2;
    private static final Map<String, String> V1_FIELDS = Map.ofEntries(
            Map.entry("language", "language_id"), Map.entry("code", "source_code"), Map.entry("stdin", "stdin"),
            Map.entry("args", "command_line_arguments"), Map.entry("tests", "expected_output"),
            Map.entry("tests[0].stdin", "stdin"), Map.entry("tests[0].expectedOutput", "expected_output"),
            Map.entry("tests[0].args", "command_line_arguments"), Map.entry("compilerOptions", "compiler_options"),
            Map.entry("limits.timeMs", "cpu_time_limit"), Map.entry("limits.wallTimeMs", "wall_time_limit"),
            Map.entry("limits.memoryMb", "memory_limit"), Map.entry("limits.processes", "max_processes_and_or_threads"),
            Map.entry("limits.fileBytes", "max_file_size"), Map.entry("callbackUrl", "callback_url"));
    private static final CompatHandler.Translator TRANSLATE = e -> {
        int status = CompatHandler.v1Status(e);
        if (status == 503) {
            return new CompatError(503, Map.of("error", e.getMessage()), RETRY_SECONDS);
        }
        if (e instanceof InvalidSubmissionException invalid && invalid.code().equals("malformed_json")) {
            return new CompatError(400, Map.of("error", invalid.getMessage()));
        }
        if (e instanceof InvalidSubmissionException invalid) {
            String field = invalid.field() == null ? "base" : V1_FIELDS.getOrDefault(invalid.field(), "base");
            return new CompatError(422, Map.of(field, List.of(invalid.getMessage())));
        }
        return new CompatError(status, Map.of("error", e.getMessage()));
    };

    private final V1Gateway gateway;
    private final Judge0Records records;
    private final Judge0Languages languages;
    private final Limits maxima;

    public Judge0Controller(V1Gateway gateway, UnifiedJedis redis, Supplier<List<LanguageInfo>> installed, ApiConfig config) {
        this.gateway = gateway;
        this.records = new Judge0Records(redis, config.resultTtlSeconds());
        this.languages = new Judge0Languages(installed);
        this.maxima = config.limits().maxima();
    }

    /** Registers the routes inside an ApiBuilder block. */
    public void routes() {
        path("/judge0", () -> {
            path("/submissions", () -> {
                post(CompatHandler.guard(this::create, TRANSLATE));
                post("/batch", CompatHandler.guard(this::createBatch, TRANSLATE));
                get("/batch", CompatHandler.guard(this::showBatch, TRANSLATE));
                get("/{token}", CompatHandler.guard(this::show, TRANSLATE));
            });
            get("/languages", ctx -> ctx.json(languages.all().stream().map(Judge0Languages::brief).toList()));
            get("/languages/{id}", this::language);
            get("/statuses", ctx -> ctx.json(Arrays.stream(Judge0Status.values()).map(Judge0Status::json).toList()));
            get("/about", ctx -> ctx.json(Map.of("version", "1.13.1", "homepage", "https://github.com/judge0/judge0",
                    "source_code", "https://github.com/judge0/judge0",
                    "maintainer", "codeexec (a Judge0 CE compatible API; see the README)")));
        });
    }

    void create(Context ctx) {
        long received = System.nanoTime();
        boolean wait = "true".equals(ctx.queryParam("wait"));
        List<String> fields = fields(ctx);
        boolean base64 = base64(ctx);
        String token = submit(ctx, SubmissionValidator.parse(ctx.bodyAsBytes()), base64, received);
        if (!wait) {
            ctx.status(201).json(Map.of("token", token));
            return;
        }
        CompatHandler.future(ctx, gateway.awaitFinal(token).thenAccept(job -> {
            Job current = job.orElseThrow(() -> notFound(token));
            try {
                ctx.status(201).json(render(current, fields, base64));
            } catch (Judge0Submission.NotUtf8 e) {
                ctx.status(201).json(Map.of("token", token, "error", e.getMessage()));
            }
        }), TRANSLATE);
    }

    /** Validates, queues and records one submission; its token. */
    private String submit(Context ctx, JsonNode body, boolean base64, long received) {
        Judge0Request.Translation translation = Judge0Request.translate(body, base64, languages, maxima);
        JobRequest request = gateway.validate(ctx, translation.v1Body());
        String token = gateway.submit(ctx, request, received);
        records.save(token, translation.attributes());
        return token;
    }

    void createBatch(Context ctx) {
        long received = System.nanoTime();
        boolean base64 = base64(ctx);
        JsonNode body = SubmissionValidator.parse(ctx.bodyAsBytes());
        JsonNode submissions = body.get("submissions");
        int count = submissions != null && submissions.isArray() ? submissions.size() : 0;
        checkBatchSize(count);
        List<Object> answer = new ArrayList<>(count);
        boolean anyValid = false;
        for (JsonNode submission : submissions) {
            try {
                answer.add(Map.of("token", submit(ctx, submission, base64, received)));
                anyValid = true;
            } catch (InvalidSubmissionException | CompatError e) {
                CompatError error = e instanceof CompatError c ? c : TRANSLATE.apply(e);
                if (error.status() != 422) {
                    throw error;
                }
                answer.add(error.body());
            }
        }
        ctx.status(anyValid ? 201 : 422).json(answer);
    }

    void show(Context ctx) {
        String token = ctx.pathParam("token");
        List<String> fields = fields(ctx);
        boolean base64 = base64(ctx);
        Job job = (JobId.isWellFormed(token) ? gateway.find(ctx, token) : Optional.<Job>empty())
                .orElseThrow(() -> notFound(token));
        try {
            ctx.json(render(job, fields, base64));
        } catch (Judge0Submission.NotUtf8 e) {
            throw Judge0Request.error(400, e.getMessage());
        }
    }

    void showBatch(Context ctx) {
        String header = ctx.header("tokens");
        String raw = header != null ? header : ctx.queryParam("tokens");
        List<String> tokens = raw == null || raw.isBlank() ? List.of()
                : Arrays.stream(raw.trim().split(",")).map(String::trim).toList();
        checkBatchSize(tokens.size());
        List<String> fields = fields(ctx);
        boolean base64 = base64(ctx);
        List<Object> submissions = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            Optional<Job> job = JobId.isWellFormed(token) ? gateway.find(ctx, token) : Optional.empty();
            try {
                submissions.add(job.map(j -> render(j, fields, base64)).orElse(null));
            } catch (Judge0Submission.NotUtf8 e) {
                throw Judge0Request.error(400, "some attributes for one or more submissions cannot be converted to UTF-8,"
                        + " use base64_encoded=true query parameter");
            }
        }
        ctx.json(Map.of("submissions", submissions));
    }

    void language(Context ctx) {
        String raw = ctx.pathParam("id");
        Optional<Judge0Languages.Entry> entry;
        try {
            entry = languages.find(Integer.parseInt(raw));
        } catch (NumberFormatException e) {
            entry = Optional.empty();
        }
        ctx.json(Judge0Languages.detail(entry.orElseThrow(
                () -> new CompatError(404, Map.of("error", "language with id " + raw + " doesn't exist")))));
    }

    private Map<String, Object> render(Job job, List<String> fields, boolean base64) {
        Map<String, Object> language = languages.all().stream().filter(e -> e.v1Id().equals(job.language()))
                .findFirst().map(Judge0Languages::brief).orElse(null);
        return Judge0Submission.render(job, records.find(List.of(job.id())).get(0), gateway.rawOutput(job.id()), fields,
                base64, language);
    }

    private static void checkBatchSize(int count) {
        if (count > MAX_BATCH) {
            throw Judge0Request.error(400, "number of submissions in a batch should be less than or equal to " + MAX_BATCH);
        }
        if (count == 0) {
            throw Judge0Request.error(400, "there should be at least one submission in a batch");
        }
    }

    /** ?fields=a,b (or * for all); unknown names → 400 "invalid fields: [..]"; absent → the default eight. */
    private static List<String> fields(Context ctx) {
        String raw = ctx.queryParam("fields");
        List<String> requested = raw == null ? List.of()
                : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (requested.contains("*")) {
            return Judge0Submission.ALL_FIELDS;
        }
        List<String> invalid = requested.stream().filter(f -> !Judge0Submission.ALL_FIELDS.contains(f)).toList();
        if (!invalid.isEmpty()) {
            throw Judge0Request.error(400, "invalid fields: [" + String.join(", ", invalid) + "]");
        }
        return requested.isEmpty() ? Judge0Submission.DEFAULT_FIELDS : requested;
    }

    private static boolean base64(Context ctx) {
        return "true".equals(ctx.queryParam("base64_encoded"));
    }

    private static CompatError notFound(String token) {
        return new CompatError(404, Map.of("error", "submission with token " + token + " not found"));
    }
}
