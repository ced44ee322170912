package io.codeexec.common.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every language codeexec knows how to run: python, javascript, ruby (interpreted) and c, cpp, java,
 * go, rust (compiled once per job; a job's compiler options must be in the language's allow-list),
 * with the commands that compile and run a program of one file or several: interpreters run the
 * entrypoint; C, C++ and Java compile every source file of the program; Go every .go file of the
 * entrypoint's directory; rustc the entrypoint (its modules are found from it). Which of them are
 * installed is decided by the workers, which probe each runner image at start and publish what
 * answered (see LanguageRegistry).
 */
public final class LanguageCatalog {
    public static final String DEFAULT_IMAGE_PREFIX = "codeexec/runner-";
    public static final String DEFAULT_IMAGE_TAG = "local";

    /**
     * Go: every .go file (but tests) in the entrypoint's directory is one package main, compiled and
     * linked with the go tool's compile and link against the standard library the runner image
     * compiled once (runners/go/Dockerfile; `go build` would recompile it into an empty GOCACHE on
     * every job). The tools print errors on stdout: they go to stderr like every other compiler's.
     * The compile and link tools keep telemetry counters under the user config dir unless it is off.
     */
    private static final String GO_BUILD = """
            set -e
            export XDG_CONFIG_HOME=/usr/local/lib/go-config
            dir=$(dirname "$1")
            set --
            for f in $(find "$dir" -maxdepth 1 -type f -name '*.go' ! -name '*_test.go' | sort); do set -- "$@" "${f#./}"; done
            tools=/usr/local/lib/go-tool cfg=/usr/local/lib/go-std/importcfg
            "$tools/compile" -p main -importcfg "$cfg" -o main.a -pack "$@" >&2
            "$tools/link" -importcfg "$cfg" -o main main.a >&2
            rm -f main.a
            """;

    private final Map<String, Language> byId = new LinkedHashMap<>();

    public LanguageCatalog(String imagePrefix, String imageTag) {
        add(new Language("python", "Python", image(imagePrefix, "python", imageTag), "main.py",
                List.of("python3", "-u", Language.ENTRY),
                List.of("python3", "-c", "import platform; print(platform.python_version())")));
        add(new Language("javascript", "JavaScript (Node.js)", image(imagePrefix, "javascript", imageTag), "main.js",
                List.of("node", Language.ENTRY),
                List.of("node", "-p", "process.versions.node")));
        add(new Language("ruby", "Ruby", image(imagePrefix, "ruby", imageTag), "main.rb",
                List.of("ruby", Language.ENTRY),
                List.of("ruby", "-e", "print RUBY_VERSION")));
        List<String> optimize = List.of("-O0", "-O1", "-O2", "-O3", "-Os", "-g", "-Wall", "-Wextra", "-Werror",
                "-pedantic", "-DONLINE_JUDGE");
        add(new Language("c", "C (GCC)", image(imagePrefix, "c", imageTag), "main.c",
                everySource("gcc", "-name '*.c'", "-o main", "exec gcc -std=c17 -O2 \"$@\" -lm"),
                List.of("./main"),
                List.of("gcc", "-dumpfullversion"),
                concat(optimize, List.of("-std=c99", "-std=c11", "-std=c17", "-std=gnu11", "-std=gnu17")),
                List.of(".c")));
        add(new Language("cpp", "C++ (G++)", image(imagePrefix, "cpp", imageTag), "main.cpp",
                everySource("g++", "\\( -name '*.cpp' -o -name '*.cc' -o -name '*.cxx' \\)", "-o main",
                        "exec g++ -std=c++17 -O2 \"$@\""),
                List.of("./main"),
                List.of("g++", "-dumpfullversion"),
                concat(optimize, List.of("-std=c++11", "-std=c++14", "-std=c++17", "-std=c++20")),
                List.of(".cpp", ".cc", ".cxx")));
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1",
                "-XX:CICompilerCount=1");
        add(new Language("java", "Java (OpenJDK)", image(imagePrefix, "java", imageTag), "Main.java",
                everySource("javac", "-name '*.java'", "-d .", "exec javac "
                        + String.join(" ", jvm.stream().map(flag -> "-J" + flag).toList()) + " -encoding UTF-8 \"$@\""),
                concat(List.of("java"), jvm, List.of("-Xss64m", "-XX:MaxRAMPercentage=60", "-cp", ".", Language.MAIN_CLASS)),
                List.of("javac", "-version"),
                List.of("-Xlint", "-Xlint:all", "-nowarn", "-g", "-parameters"),
                List.of(".java")));
        add(new Language("go", "Go", image(imagePrefix, "go", imageTag), "main.go",
                List.of("sh", "-c", GO_BUILD, "go", Language.ENTRY),
                List.of("./main"),
                List.of("go", "env", "GOVERSION"),
                List.of(),
                List.of(".go")));
        add(new Language("rust", "Rust", image(imagePrefix, "rust", imageTag), "main.rs",
                List.of("rustc", "-O", Language.OPTIONS, "-o", "main", Language.ENTRY),
                List.of("./main"),
                List.of("rustc", "--version"),
                List.of("-Copt-level=0", "-Copt-level=1", "-Copt-level=2", "-Copt-level=3", "-g",
                        "--edition=2015", "--edition=2018", "--edition=2021"),
                List.of(".rs")));
    }

    /**
     * A compile command that hands the compiler every source file of the program, found in the build
     * directory where the compile runs (so 64 files never overflow the launcher's 64-item argv line):
     * the job's options ("$@"), then {@code between}, then each file {@code find} matches, sorted, as a
     * relative path ("lib/util.c"); {@code exec} runs the compiler on that list. File names are of the
     * launcher's alphabet (no spaces or glob characters), so the unquoted list splits into names only;
     * options are argv items, never shell text.
     */
    private static List<String> everySource(String compiler, String find, String between, String exec) {
        String script = "set -- \"$@\" " + between + "\n"
                + "for f in $(find . -type f " + find + " | sort); do set -- \"$@\" \"${f#./}\"; done\n"
                + exec + "\n";
        return List.of("sh", "-c", script, compiler, Language.OPTIONS);
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
