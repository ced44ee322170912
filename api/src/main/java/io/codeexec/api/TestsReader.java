package io.codeexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.TestCase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the optional "tests" array of a graded submission, naming the item and key of any mistake
 * (field "tests[2].stdin", indices from 0):
 * 1. an array of 1..MAX_TESTS objects with only name, stdin, expectedOutput and args;
 * 2. names default to "test-n" (n from 1), are at most 128 characters and unique;
 * 3. each stdin and expectedOutput within MAX_STDIN_BYTES, args as the job's own; all of it within MAX_TESTS_BYTES.
 */
final class TestsReader {
    static final int MAX_NAME_CHARS = 128;
    private static final Set<String> FIELDS = Set.of("name", "stdin", "expectedOutput", "args");

    private final ApiConfig config;

    TestsReader(ApiConfig config) {
        this.config = config;
    }

    /** The tests, or an empty list when the field is absent or null. */
    List<TestCase> read(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidSubmissionException("invalid_type", "tests", "tests must be an array of objects");
        }
        if (node.isEmpty()) {
            throw new InvalidSubmissionException("invalid_value", "tests",
                    "tests must hold at least one test; leave it out to run the program once");
        }
        if (node.size() > config.maxTests()) {
            throw new InvalidSubmissionException("too_many_tests", "tests",
                    "tests has " + node.size() + " items but the maximum is " + config.maxTests());
        }
        List<TestCase> tests = new ArrayList<>(node.size());
        Set<String> names = new HashSet<>();
        long totalBytes = 0;
        for (int i = 0; i < node.size(); i++) {
            String path = "tests[" + i + "]";
            JsonNode item = node.get(i);
            checkObject(item, path);
            String name = name(item, path, i + 1);
            if (!names.add(name)) {
                throw new InvalidSubmissionException("invalid_value", path + ".name",
                        path + " is named '" + name + "' like an earlier test; test names must be unique");
            }
            String stdin = SubmissionValidator.optionalString(item, "stdin", path + ".stdin");
            String expected = SubmissionValidator.optionalString(item, "expectedOutput", path + ".expectedOutput");
            totalBytes += SubmissionValidator.checkSize(path + ".stdin", stdin, config.maxStdinBytes());
            totalBytes += SubmissionValidator.checkSize(path + ".expectedOutput", expected, config.maxStdinBytes());
            List<String> args = SubmissionValidator.args(item.get("args"), path + ".args", config);
            for (String arg : args) {
                totalBytes += SubmissionValidator.utf8Bytes(arg);
            }
            if (totalBytes > config.maxTestsBytes()) {
                throw new InvalidSubmissionException("payload_too_large", "tests",
                        "The tests' stdin, expectedOutput and args exceed the maximum of " + config.maxTestsBytes()
                                + " bytes (UTF-8) in all, at " + path, 413);
            }
            tests.add(new TestCase(name, stdin, expected, args));
        }
        return tests;
    }

    private static void checkObject(JsonNode item, String path) {
        if (!item.isObject()) {
            throw new InvalidSubmissionException("invalid_type", path, path + " must be an object");
        }
        item.fieldNames().forEachRemaining(key -> {
            if (!FIELDS.contains(key)) {
                throw new InvalidSubmissionException("unknown_field", path + "." + key,
                        "Unknown field '" + path + "." + key + "'; a test has name, stdin, expectedOutput and args");
            }
        });
    }

    private static String name(JsonNode item, String path, int position) {
        JsonNode node = item.get("name");
        if (node == null || node.isNull()) {
            return "test-" + position;
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", path + ".name", path + ".name must be a string");
        }
        String name = node.textValue();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
            throw new InvalidSubmissionException("invalid_value", path + ".name",
                    path + ".name must be 1 to " + MAX_NAME_CHARS + " characters long");
        }
        return name;
    }
}
