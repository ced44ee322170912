package io.codeexec.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.codeexec.api.auth.PlanLimits;
import io.codeexec.common.job.Comparison;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.job.TestCase;
import io.codeexec.common.json.Json;
import io.codeexec.common.tenant.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a submission body into a JobRequest, checking field by field so every error names its field:
 * 1. the body is one JSON object with only known fields;
 * 2. language is a present string and installed; the program is either code (a string within size)
 *    or files with an optional entrypoint (see SourcesReader), never both; stdin within size;
 * 3. args is a bounded array of strings; limits are integers within the LimitPolicy maxima, and the
 *    job's worst-case output (every test's stdout and stderr) within MAX_RESULT_BYTES;
 * 4. for grading, tests (see TestsReader) replace stdin and args, compare and stopOnFirstFailure say how
 *    they are judged, and compilerOptions come from the language's allow-list.
 */
public final class SubmissionValidator {
    private static final Set<String> FIELDS = Set.of("language", "code", "stdin", "args", "limits", "callbackUrl",
            "tests", "compare", "stopOnFirstFailure", "compilerOptions", "files", "entrypoint");
    private static final int MAX_CALLBACK_URL_CHARS = 2048;
    static final int MAX_COMPILER_OPTIONS = 16;
    private static final String COMPARE_FORMS = "compare must be \"exact\", \"trimmed\", \"tokens\" or {\"float\": tolerance}"
            + " with a finite tolerance >= 0";
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ApiConfig config;
    private final Supplier<List<String>> supportedLanguages;
    private final TestsReader testsReader;
    private final SourcesReader sourcesReader;
    private final LanguageCatalog catalog = LanguageCatalog.standard();

    public SubmissionValidator(ApiConfig config, Supplier<List<String>> supportedLanguages) {
        this.config = config;
        this.supportedLanguages = supportedLanguages;
        this.testsReader = new TestsReader(config);
        this.sourcesReader = new SourcesReader(config);
    }

    /** Parses and validates a request body (bytes as received: JSON is UTF-8). */
    public JobRequest validate(byte[] body) {
        return validate(parse(body));
    }

    /** As {@link #validate(byte[])}, within the tenant's plan (null: the server's limits only). */
    public JobRequest validate(byte[] body, Plan plan) {
        return validate(parse(body), plan);
    }

    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidSubmissionException("malformed_json", null, "The request body must be a JSON object");
        }
        try {
            JsonNode tree = READER.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new InvalidSubmissionException("malformed_json", null, "The request body must be a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new InvalidSubmissionException("malformed_json", null,
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidSubmissionException("malformed_json", null, "The request body could not be read");
        }
    }

    public JobRequest validate(JsonNode body) {
        return validate(body, null);
    }

    /** Validates a submission within the tenant's plan: its tests per job and limit maxima (see PlanLimits). */
    public JobRequest validate(JsonNode body, Plan plan) {
        if (!body.isObject()) {
            throw new InvalidSubmissionException("invalid_type", null, "The request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", name, "Unknown field '" + name + "'; the fields are"
                        + " language, code, files, entrypoint, stdin, args, limits, callbackUrl, tests, compare,"
                        + " stopOnFirstFailure and compilerOptions");
            }
        });
        String language = requiredString(body, "language");
        SourcesReader.Program program = sourcesReader.read(body, catalog.find(language));
        if (present(body, "tests")) {
            absentWithTests(body, "stdin", "stdin goes in each test when tests are given");
            absentWithTests(body, "args", "args go in each test when tests are given");
        }
        List<TestCase> tests = testsReader.read(body.get("tests"));
        PlanLimits.checkTests(plan, tests.size());
        String stdin = optionalString(body, "stdin", "stdin");
        checkSize("stdin", stdin, config.maxStdinBytes());
        List<String> args = args(body.get("args"), "args", config);
        Comparison compare = compare(body.get("compare"));
        boolean stopOnFirstFailure = stopOnFirstFailure(body.get("stopOnFirstFailure"));
        LimitsRequest limits = LimitsReader.read(body.get("limits"));
        String callbackUrl = callbackUrl(body);
        checkSupported(language);
        List<String> compilerOptions = compilerOptions(body.get("compilerOptions"), language);
        boolean compiled = catalog.find(language).map(Language::compiled).orElse(false);
        Limits resolved = PlanLimits.policy(config.limits(), plan).resolve(limits, tests.size(), compiled);
        return new JobRequest(language, program.code(), stdin, args, resolved, callbackUrl, tests, compare,
                stopOnFirstFailure, compilerOptions, program.files(), program.entrypoint());
    }

    static boolean present(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node != null && !node.isNull();
    }

    private static void absentWithTests(JsonNode body, String field, String message) {
        if (present(body, field)) {
            throw new InvalidSubmissionException("invalid_value", field, message);
        }
    }

    /** Absent or null means trimmed; anything but the four forms is rejected rather than guessed at. */
    private static Comparison compare(JsonNode node) {
        if (node == null || node.isNull()) {
            return Comparison.TRIMMED;
        }
        Object value = node.isTextual() ? node.textValue()
                : node.isObject() ? Json.MAPPER.convertValue(node, Map.class)
                : null;
        try {
            if (value != null) {
                return Comparison.fromJson(value);
            }
        } catch (IllegalArgumentException e) {
            // Reported below, with the forms spelled out.
        }
        throw new InvalidSubmissionException("invalid_value", "compare", COMPARE_FORMS + ", got " + node);
    }

    private static boolean stopOnFirstFailure(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidSubmissionException("invalid_type", "stopOnFirstFailure", "stopOnFirstFailure must be true or false");
        }
        return node.booleanValue();
    }

    /** Each option must be one the language allows exactly: they become compiler argv items, never shell text. */
    private List<String> compilerOptions(JsonNode node, String language) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidSubmissionException("invalid_type", "compilerOptions", "compilerOptions must be an array of strings");
        }
        if (node.size() > MAX_COMPILER_OPTIONS) {
            throw new InvalidSubmissionException("invalid_value", "compilerOptions",
                    "compilerOptions has " + node.size() + " items but the maximum is " + MAX_COMPILER_OPTIONS);
        }
        List<String> allowed = catalog.find(language).map(Language::compilerOptions).orElse(List.of());
        List<String> options = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidSubmissionException("invalid_type", "compilerOptions", "compilerOptions must be an array of strings");
            }
            if (allowed.isEmpty()) {
                throw new InvalidSubmissionException("invalid_value", "compilerOptions", language + " takes no compiler options");
            }
            if (!allowed.contains(item.textValue())) {
                throw new InvalidSubmissionException("invalid_value", "compilerOptions", "Compiler option '" + item.textValue()
                        + "' is not allowed for " + language + "; the allowed options are " + String.join(", ", allowed));
            }
            options.add(item.textValue());
        }
        return options;
    }

    /** An absolute http(s) URL of bounded length, or null. Where it points is checked at delivery time. */
    static String callbackUrl(JsonNode body) {
        String url = optionalString(body, "callbackUrl", "callbackUrl");
        if (url.isEmpty()) {
            return null;
        }
        if (url.length() > MAX_CALLBACK_URL_CHARS) {
            throw new InvalidSubmissionException("payload_too_large", "callbackUrl",
                    "callbackUrl is longer than " + MAX_CALLBACK_URL_CHARS + " characters", 413);
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return url;
            }
        } catch (java.net.URISyntaxException e) {
            // Reported below with the same message as any other unusable URL.
        }
        throw new InvalidSubmissionException("invalid_value", "callbackUrl",
                "callbackUrl must be an absolute http or https URL, got '" + url + "'");
    }

    private void checkSupported(String language) {
        List<String> supported = supportedLanguages.get();
        if (!supported.contains(language)) {
            throw new InvalidSubmissionException("unsupported_language", "language", unsupportedMessage(supported));
        }
    }

    /** The seed API's exact wording, shared by both routes. */
    public static String unsupportedMessage(List<String> supported) {
        return "Language not supported. The languages supported are: "
                + (supported.isEmpty() ? "(none installed yet)" : String.join(", ", supported));
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidSubmissionException("missing_field", field, field + " is required");
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", field, field + " must be a string");
        }
        return node.textValue();
    }

    /** The string at parent.key ("" when absent or null); path names it in errors, e.g. tests[2].stdin. */
    static String optionalString(JsonNode parent, String key, String path) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", path, path + " must be a string");
        }
        return node.textValue();
    }

    /** A job's or a test's args: at most MAX_ARGS strings of at most MAX_ARG_BYTES each, without NUL. */
    static List<String> args(JsonNode node, String field, ApiConfig config) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidSubmissionException("invalid_type", field, field + " must be an array of strings");
        }
        if (node.size() > config.maxArgs()) {
            throw new InvalidSubmissionException("too_many_args", field,
                    field + " has " + node.size() + " items but the maximum is " + config.maxArgs());
        }
        List<String> args = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidSubmissionException("invalid_type", field, field + " must be an array of strings");
            }
            if (item.textValue().indexOf('\0') >= 0) {
                throw new InvalidSubmissionException("invalid_value", field, field + " must not contain NUL characters");
            }
            checkSize(field, item.textValue(), config.maxArgBytes());
            args.add(item.textValue());
        }
        return args;
    }

    /** Rejects a value over maxBytes of UTF-8 with 413 naming the field; returns its size. */
    static int checkSize(String field, String value, int maxBytes) {
        int bytes = utf8Bytes(value);
        if (bytes > maxBytes) {
            String what = field.endsWith("args") ? "an item of " + field : field;
            throw new InvalidSubmissionException("payload_too_large", field,
                    what + " is " + bytes + " bytes (UTF-8) but the maximum is " + maxBytes + " bytes", 413);
        }
        return bytes;
    }

    /** The UTF-8 length, counted without encoding (a surrogate pair is 4 bytes; a lone surrogate counts 2). */
    static int utf8Bytes(String value) {
        int bytes = value.length();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return bytes;
    }
}
