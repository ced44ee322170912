package io.codeexec.cli;

import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Which language a file is written in, from its extension (the catalog's source files, plus common aliases). */
public final class Languages {
    private static final Map<String, String> BY_EXTENSION = new LinkedHashMap<>();

    static {
        for (Language language : LanguageCatalog.standard().all()) {
            BY_EXTENSION.put(extension(language.sourceFile()), language.id());
        }
        BY_EXTENSION.put("mjs", "javascript");
        BY_EXTENSION.put("cjs", "javascript");
        BY_EXTENSION.put("cc", "cpp");
        BY_EXTENSION.put("cxx", "cpp");
    }

    private Languages() {}

    public static Optional<String> ofFile(Path file) {
        return Optional.ofNullable(BY_EXTENSION.get(extension(file.getFileName().toString()).toLowerCase(Locale.ROOT)));
    }

    /** The file name a language's single-file programs use (main.py, Main.java, …), if known. */
    public static Optional<String> sourceFile(String language) {
        return LanguageCatalog.standard().find(language).map(Language::sourceFile);
    }

    public static String known() {
        return String.join(", ", BY_EXTENSION.keySet().stream().map(e -> "." + e).toList());
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }
}
