package io.codeexec.api.compat.piston;

import io.codeexec.common.job.LanguageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Our installed languages as Piston runtimes: Piston's language names, aliases and runtime names
 * (from Piston's package metadata: javascript runs on "node", c and c++ on "gcc"), the installed
 * version as major.minor.patch, and the lookup Piston does: a name or alias plus a semver selector.
 */
final class PistonRuntimes {
    /** A runtime as GET /api/v2/runtimes lists it; {@code id} is our v1 language id (not shown). */
    record Runtime(String id, String language, String version, List<String> aliases, String runtime) {}

    /** Piston's name, aliases and runtime for each of our language ids. */
    private record Naming(String language, List<String> aliases, String runtime) {}

    private static final Map<String, Naming> NAMING = Map.of(
            "python", new Naming("python", List.of("py", "py3", "python3"), null),
            "javascript", new Naming("javascript", List.of("node-javascript", "node-js", "javascript", "js", "node"), "node"),
            "ruby", new Naming("ruby", List.of("ruby3", "rb"), null),
            "c", new Naming("c", List.of("gcc"), "gcc"),
            "cpp", new Naming("c++", List.of("cpp", "g++"), "gcc"),
            "java", new Naming("java", List.of(), null),
            "go", new Naming("go", List.of("go", "golang"), null),
            "rust", new Naming("rust", List.of("rs"), null));

    private final Supplier<List<LanguageInfo>> installed;

    PistonRuntimes(Supplier<List<LanguageInfo>> installed) {
        this.installed = installed;
    }

    List<Runtime> all() {
        List<Runtime> runtimes = new ArrayList<>();
        for (LanguageInfo info : installed.get()) {
            Naming naming = NAMING.getOrDefault(info.id(), new Naming(info.id(), List.of(), null));
            runtimes.add(new Runtime(info.id(), naming.language(), SemverRange.normalized(info.version()),
                    naming.aliases(), naming.runtime()));
        }
        return runtimes;
    }

    /** The runtime whose name or alias is {@code language} and whose version satisfies {@code version}. */
    Optional<Runtime> find(String language, String version) {
        SemverRange range;
        try {
            range = SemverRange.parse(version);
        } catch (IllegalArgumentException e) {
            return Optional.empty();  // node-semver matches nothing with an invalid range either
        }
        return all().stream()
                .filter(rt -> rt.language().equals(language) || rt.aliases().contains(language))
                .filter(rt -> range.matches(rt.version()))
                .findFirst();
    }
}
