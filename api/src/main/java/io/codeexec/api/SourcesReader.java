package io.codeexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.SourceFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the program of a submission: either "code" (one file: a non-blank string within
 * MAX_CODE_BYTES) or "files" with an optional "entrypoint", never both. Files are checked naming the
 * file of any mistake (field "files[2].name", indices from 0) with 400 invalid_request:
 * 1. an array of 1..MAX_FILES objects with only name, content and encoding ("utf8" or "base64");
 * 2. every name a safe relative path ({@link SourcePath}), no two alike, none both a file and a
 *    directory of another;
 * 3. the contents decoded (invalid base64 is refused) within MAX_CODE_BYTES in all (413 above);
 * 4. the entrypoint one of the names (default: the first file), of a kind the language can run.
 */
final class SourcesReader {
    private static final Set<String> FIELDS = Set.of("name", "content", "encoding");
    private static final Set<String> ENCODINGS = Set.of(SourceFile.UTF8, SourceFile.BASE64);
    static final String CODE = "invalid_request";

    /** The program: code (files empty, entrypoint null) or files with the entrypoint resolved to one of their names. */
    record Program(String code, List<SourceFile> files, String entrypoint) {}

    private final ApiConfig config;

    SourcesReader(ApiConfig config) {
        this.config = config;
    }

    /** The program of a submission body; language is empty when it is not known (rejected later). */
    Program read(JsonNode body, Optional<Language> language) {
        if (SubmissionValidator.present(body, "files")) {
            if (SubmissionValidator.present(body, "code")) {
                throw invalid("files", "Give the program either as code (one file) or as files, not both");
            }
            return files(body.get("files"), body.get("entrypoint"), language);
        }
        if (SubmissionValidator.present(body, "entrypoint")) {
            throw invalid("entrypoint", "entrypoint names one of the files; it goes with files, not with code");
        }
        JsonNode code = body.get("code");
        if (code == null || code.isNull()) {
            throw new InvalidSubmissionException("missing_field", "code",
                    "code is required (or files, for a program of several files)");
        }
        if (!code.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", "code", "code must be a string");
        }
        if (code.textValue().isBlank()) {
            throw new InvalidSubmissionException("empty_code", "code", "code must not be empty");
        }
        SubmissionValidator.checkSize("code", code.textValue(), config.maxCodeBytes());
        return new Program(code.textValue(), List.of(), null);
    }

    private Program files(JsonNode node, JsonNode entrypointNode, Optional<Language> language) {
        if (!node.isArray()) {
            throw invalid("files", "files must be an array of {name, content, encoding} objects");
        }
        if (node.isEmpty()) {
            throw invalid("files", "files must hold at least one file");
        }
        if (node.size() > config.maxFiles()) {
            throw invalid("files", "files has " + node.size() + " items but the maximum is " + config.maxFiles());
        }
        List<SourceFile> files = new ArrayList<>(node.size());
        Set<String> names = new HashSet<>();
        Set<String> directories = new HashSet<>();
        long totalBytes = 0;
        for (int i = 0; i < node.size(); i++) {
            String path = "files[" + i + "]";
            SourceFile file = file(node.get(i), path);
            checkPlace(file.name(), path, names, directories);
            totalBytes += decodedSize(file, path);
            if (totalBytes > config.maxCodeBytes()) {
                throw new InvalidSubmissionException("payload_too_large", path + ".content",
                        "The files hold more than the maximum of " + config.maxCodeBytes() + " bytes in all, at "
                                + path + " (" + file.name() + ")", 413);
            }
            files.add(file);
        }
        return new Program(null, files, entrypoint(entrypointNode, files, language));
    }

    private static SourceFile file(JsonNode item, String path) {
        if (!item.isObject()) {
            throw invalid(path, path + " must be an object with name, content and encoding");
        }
        item.fieldNames().forEachRemaining(key -> {
            if (!FIELDS.contains(key)) {
                throw invalid(path + "." + key, "Unknown field '" + path + "." + key
                        + "'; a file has name, content and encoding");
            }
        });
        String name = requiredString(item, "name", path);
        SourcePath.problem(name).ifPresent(problem ->
                { throw invalid(path + ".name", path + ".name '" + shorten(name) + "' " + problem); });
        String content = requiredString(item, "content", path);
        JsonNode encoding = item.get("encoding");
        if (encoding != null && !encoding.isNull() && !(encoding.isTextual() && ENCODINGS.contains(encoding.textValue()))) {
            throw invalid(path + ".encoding", path + ".encoding (" + name + ") must be \"utf8\" or \"base64\"");
        }
        return new SourceFile(name, content, encoding == null || encoding.isNull() ? null : encoding.textValue());
    }

    /** Rejects a name seen before, a name that is a directory of an earlier file, or one under an earlier file. */
    private static void checkPlace(String name, String path, Set<String> names, Set<String> directories) {
        if (names.contains(name)) {
            throw invalid(path + ".name", path + ".name '" + name + "' names the same file as an earlier item");
        }
        if (directories.contains(name)) {
            throw invalid(path + ".name", path + ".name '" + name + "' is a directory of an earlier file");
        }
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            String directory = name.substring(0, slash);
            if (names.contains(directory)) {
                throw invalid(path + ".name", path + ".name '" + name + "' lies under '" + directory
                        + "', which is an earlier file");
            }
            directories.add(directory);
        }
        names.add(name);
    }

    private static int decodedSize(SourceFile file, String path) {
        if (file.encoding().equals(SourceFile.UTF8)) {
            return SubmissionValidator.utf8Bytes(file.content());
        }
        try {
            return file.bytes().length;
        } catch (IllegalArgumentException e) {
            throw invalid(path + ".content", path + ".content (" + file.name() + ") is not valid base64: " + e.getMessage());
        }
    }

    private static String entrypoint(JsonNode node, List<SourceFile> files, Optional<Language> language) {
        String entry;
        if (node == null || node.isNull()) {
            entry = files.getFirst().name();
        } else if (!node.isTextual()) {
            throw invalid("entrypoint", "entrypoint must be a string: the name of one of the files");
        } else {
            entry = node.textValue();
            if (files.stream().noneMatch(file -> file.name().equals(entry))) {
                throw invalid("entrypoint", "entrypoint '" + shorten(entry) + "' is not the name of one of the files");
            }
        }
        if (language.isPresent() && !language.get().canRun(entry)) {
            throw invalid(node == null || node.isNull() ? "files[0].name" : "entrypoint", "The entrypoint '" + entry
                    + "' (the first file unless entrypoint names another) must be a "
                    + String.join(" or ", language.get().entrypointExtensions()) + " file for " + language.get().id());
        }
        return entry;
    }

    private static String requiredString(JsonNode item, String key, String path) {
        JsonNode node = item.get(key);
        if (node == null || node.isNull()) {
            throw invalid(path + "." + key, path + "." + key + " is required");
        }
        if (!node.isTextual()) {
            throw invalid(path + "." + key, path + "." + key + " must be a string");
        }
        return node.textValue();
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    private static InvalidSubmissionException invalid(String field, String message) {
        return new InvalidSubmissionException(CODE, field, message);
    }
}
