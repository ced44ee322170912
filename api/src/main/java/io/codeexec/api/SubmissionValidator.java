package io.codeexec.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.LimitsRequest;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a submission body into a JobRequest, checking field by field so every error names its field:
 * 1. the body is one JSON object with only known fields;
 * 2. language and code are present strings, the language installed, code and stdin within size;
 * 3. args is a bounded array of strings; limits are integers within the LimitPolicy maxima.
 */
public final class SubmissionValidator {
    private static final Set<String> FIELDS = Set.of("language", "code", "stdin", "args", "limits", "callbackUrl");
    private static final int MAX_CALLBACK_URL_CHARS = 2048;
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ApiConfig config;
    private final Supplier<List<String>> supportedLanguages;

    public SubmissionValidator(ApiConfig config, Supplier<List<String>> supportedLanguages) {
        this.config = config;
        this.supportedLanguages = supportedLanguages;
    }

    /** Parses and validates a request body (bytes as received: JSON is UTF-8). */
    public JobRequest validate(byte[] body) {
        return validate(parse(body));
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
        if (!body.isObject()) {
            throw new InvalidSubmissionException("invalid_type", null, "The request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", name,
                        "Unknown field '" + name + "'; the fields are language, code, stdin, args, limits and callbackUrl");
            }
        });
        String language = requiredString(body, "language");
        String code = requiredString(body, "code");
        if (code.isBlank()) {
            throw new InvalidSubmissionException("empty_code", "code", "code must not be empty");
        }
        checkSize("code", code, config.maxCodeBytes());
        String stdin = optionalString(body, "stdin");
        checkSize("stdin", stdin, config.maxStdinBytes());
        List<String> args = args(body.get("args"));
        LimitsRequest limits = LimitsReader.read(body.get("limits"));
        String callbackUrl = callbackUrl(body);
        checkSupported(language);
        return new JobRequest(language, code, stdin, args, config.limits().resolve(limits), callbackUrl);
    }

    /** An absolute http(s) URL of bounded length, or null. Where it points is checked at delivery time. */
    private static String callbackUrl(JsonNode body) {
        String url = optionalString(body, "callbackUrl");
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

    private static String optionalString(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", field, field + " must be a string");
        }
        return node.textValue();
    }

    private List<String> args(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidSubmissionException("invalid_type", "args", "args must be an array of strings");
        }
        if (node.size() > config.maxArgs()) {
            throw new InvalidSubmissionException("too_many_args", "args",
                    "args has " + node.size() + " items but the maximum is " + config.maxArgs());
        }
        List<String> args = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new InvalidSubmissionException("invalid_type", "args", "args must be an array of strings");
            }
            if (item.textValue().indexOf('\0') >= 0) {
                throw new InvalidSubmissionException("invalid_value", "args", "args must not contain NUL characters");
            }
            checkSize("args", item.textValue(), config.maxArgBytes());
            args.add(item.textValue());
        }
        return args;
    }

    private static void checkSize(String field, String value, int maxBytes) {
        // A UTF-8 byte is at most one char, so short strings skip the encoding.
        if (value.length() * 3L <= maxBytes) {
            return;
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            String what = field.equals("args") ? "an item of args" : field;
            throw new InvalidSubmissionException("payload_too_large", field,
                    what + " is " + bytes + " bytes (UTF-8) but the maximum is " + maxBytes + " bytes", 413);
        }
    }
}
