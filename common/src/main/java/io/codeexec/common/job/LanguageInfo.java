package io.codeexec.common.job;

/** A language as installed on the workers, with the version read from its runner image. */
public record LanguageInfo(String id, String name, String version, boolean compiled) {
    public LanguageInfo(String id, String name, String version) {
        this(id, name, version, false);
    }
}
