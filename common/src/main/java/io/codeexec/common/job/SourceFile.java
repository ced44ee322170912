package io.codeexec.common.job;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One file of a multi-file program ({@code files} in a job request): a relative path inside the
 * program's directory, its content, and how the content is encoded in JSON ("utf8", the default, or
 * "base64"). {@link #bytes()} is the one place that decodes it (the API to check it, the worker to
 * send it).
 */
public record SourceFile(String name, String content, String encoding) {
    public static final String UTF8 = "utf8";
    public static final String BASE64 = "base64";

    public SourceFile {
        encoding = encoding == null ? UTF8 : encoding;
    }

    public SourceFile(String name, String content) {
        this(name, content, UTF8);
    }

    /**
     * The file's bytes: UTF-8 of the content, or the content decoded as standard base64 (line breaks
     * and spaces, which MIME encoders insert, are ignored; anything else outside the alphabet is not).
     *
     * @throws IllegalArgumentException for an unknown encoding or content that is not base64
     */
    public byte[] bytes() {
        return switch (encoding) {
            case UTF8 -> content.getBytes(StandardCharsets.UTF_8);
            case BASE64 -> Base64.getDecoder().decode(content.replaceAll("[ \\t\\r\\n]", ""));
            default -> throw new IllegalArgumentException("unknown encoding '" + encoding + "'");
        };
    }
}
