package io.codeexec.api.compat.judge0;

import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LanguageInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Judge0 CE's language ids for our installed languages (71 Python, 63 JavaScript, 72 Ruby, 50 C, 54 C++,
 * 62 Java, 60 Go, 73 Rust), named as Judge0 names them but with the versions our runner images report.
 */
final class Judge0Languages {
    /** One language as Judge0 shows it; {@code v1Id} is our id. */
    record Entry(int id, String v1Id, String name, String sourceFile, String compileCmd, String runCmd) {}

    private static final Map<String, Integer> IDS = Map.of("python", 71, "javascript", 63, "ruby", 72, "c", 50,
            "cpp", 54, "java", 62, "go", 60, "rust", 73);
    private static final Map<String, String> NAMES = Map.of("python", "Python", "javascript", "JavaScript (Node.js",
            "ruby", "Ruby", "c", "C (GCC", "cpp", "C++ (GCC", "java", "Java (OpenJDK", "go", "Go", "rust", "Rust");

    /** "go1.24.4" → 1.24.4, "rustc 1.85.0 (…)" → 1.85.0. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("\\d+(?:\\.\\d+)*");

    private final Supplier<List<LanguageInfo>> installed;
    private final LanguageCatalog catalog = LanguageCatalog.standard();

    Judge0Languages(Supplier<List<LanguageInfo>> installed) {
        this.installed = installed;
    }

    List<Entry> all() {
        return installed.get().stream().filter(info -> IDS.containsKey(info.id())).map(this::entry).toList();
    }

    Optional<Entry> find(int id) {
        return all().stream().filter(e -> e.id() == id).findFirst();
    }

    private Entry entry(LanguageInfo info) {
        String base = NAMES.get(info.id());
        java.util.regex.Matcher m = VERSION.matcher(info.version() == null ? "" : info.version());
        String version = m.find() ? m.group() : String.valueOf(info.version());
        String name = base.contains("(") ? base + " " + version + ")" : base + " (" + version + ")";
        Optional<Language> language = catalog.find(info.id());
        return new Entry(IDS.get(info.id()), info.id(), name,
                language.map(Language::sourceFile).orElse(null),
                language.filter(Language::compiled).map(l -> command(l.compileCommand())).orElse(null),
                language.map(l -> command(l.runCommand())).orElse(null));
    }

    private static String command(List<String> argv) {
        return String.join(" ", argv.stream().filter(a -> !a.equals(Language.OPTIONS)).toList());
    }

    static Map<String, Object> brief(Entry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("name", e.name());
        return json;
    }

    static Map<String, Object> detail(Entry e) {
        Map<String, Object> json = brief(e);
        json.put("is_archived", false);
        json.put("source_file", e.sourceFile());
        json.put("compile_cmd", e.compileCmd());
        json.put("run_cmd", e.runCmd());
        return json;
    }
}
