package io.codeexec.common.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every language codeexec knows how to run. Which of them are installed is decided by the workers,
 * which probe each runner image at start and publish what answered (see LanguageRegistry).
 */
public final class LanguageCatalog {
    public static final String DEFAULT_IMAGE_PREFIX = "codeexec/runner-";
    public static final String DEFAULT_IMAGE_TAG = "local";

    private final Map<String, Language> byId = new LinkedHashMap<>();

    public LanguageCatalog(String imagePrefix, String imageTag) {
        add(new Language("python", "Python", image(imagePrefix, "python", imageTag), "main.py",
                List.of("python3", "-u", "main.py"),
                List.of("python3", "-c", "import platform; print(platform.python_version())")));
        add(new Language("javascript", "JavaScript (Node.js)", image(imagePrefix, "javascript", imageTag), "main.js",
                List.of("node", "main.js"),
                List.of("node", "-p", "process.versions.node")));
        add(new Language("ruby", "Ruby", image(imagePrefix, "ruby", imageTag), "main.rb",
                List.of("ruby", "main.rb"),
                List.of("ruby", "-e", "print RUBY_VERSION")));
    }

    public static LanguageCatalog standard() {
        return new LanguageCatalog(DEFAULT_IMAGE_PREFIX, DEFAULT_IMAGE_TAG);
    }

    private static String image(String prefix, String id, String tag) {
        return prefix + id + ":" + tag;
    }

    private void add(Language language) {
        byId.put(language.id(), language);
    }

    public Optional<Language> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    public List<Language> all() {
        return List.copyOf(byId.values());
    }
}
