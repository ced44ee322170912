package io.codeexec.common.job;

/**
 * One file of a multi-file program ({@code files} in a job request): a relative path inside the
 * program's directory, its content, and how the content is encoded in JSON ("utf8", the default, or
 * "base64").
 */
public record SourceFile(String name, String content, String encoding) {
    public SourceFile {
        encoding = encoding == null ? "utf8" : encoding;
    }
}
