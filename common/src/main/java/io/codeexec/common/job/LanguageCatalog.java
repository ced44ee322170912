package io.codeexec.common.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every language codeexec knows how to run: python, javascript, ruby (interpreted) and c, cpp, java,
 * go, rust (compiled once per job; a job's compiler options must be in the language's allow-list). Which of them are installed is decided by the workers,
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
        List<String> optimize = List.of("-O0", "-O1", "-O2", "-O3", "-Os", "-g", "-Wall", "-Wextra", "-Werror",
                "-pedantic", "-DONLINE_JUDGE");
        add(new Language("c", "C (GCC)", image(imagePrefix, "c", imageTag), "main.c",
                List.of("gcc", "-std=c17", "-O2", Language.OPTIONS, "-o", "main", "main.c", "-lm"),
                List.of("./main"),
                List.of("gcc", "-dumpfullversion"),
                concat(optimize, List.of("-std=c99", "-std=c11", "-std=c17", "-std=gnu11", "-std=gnu17"))));
        add(new Language("cpp", "C++ (G++)", image(imagePrefix, "cpp", imageTag), "main.cpp",
                List.of("g++", "-std=c++17", "-O2", Language.OPTIONS, "-o", "main", "main.cpp"),
                List.of("./main"),
                List.of("g++", "-dumpfullversion"),
                concat(optimize, List.of("-std=c++11", "-std=c++14", "-std=c++17", "-std=c++20"))));
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1",
                "-XX:CICompilerCount=1");
        add(new Language("java", "Java (OpenJDK)", image(imagePrefix, "java", imageTag), "Main.java",
                concat(List.of("javac"), jvm.stream().map(flag -> "-J" + flag).toList(),
                        List.of("-encoding", "UTF-8", Language.OPTIONS, "Main.java")),
                concat(List.of("java"), jvm, List.of("-Xss64m", "-XX:MaxRAMPercentage=60", "-cp", ".", "Main")),
                List.of("javac", "-version"),
                List.of("-Xlint", "-Xlint:all", "-nowarn", "-g", "-parameters")));
        add(new Language("go", "Go", image(imagePrefix, "go", imageTag), "main.go",
                List.of("codeexec-go-build", "main.go", "main"),
                List.of("./main"),
                List.of("go", "env", "GOVERSION"),
                List.of()));
        add(new Language("rust", "Rust", image(imagePrefix, "rust", imageTag), "main.rs",
                List.of("rustc", "-O", Language.OPTIONS, "-o", "main", "main.rs"),
                List.of("./main"),
                List.of("rustc", "--version"),
                List.of("-Copt-level=0", "-Copt-level=1", "-Copt-level=2", "-Copt-level=3", "-g",
                        "--edition=2015", "--edition=2018", "--edition=2021")));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
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
