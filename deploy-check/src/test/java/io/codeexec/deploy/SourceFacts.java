package io.codeexec.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the manifests must agree with, read from the code itself (not copied into the test):
 * 1. the environment variables the API (common + api) and the worker (common + worker) read through {@code Env};
 * 2. the literal numeric defaults of those reads (a setting left unset in a manifest means its default);
 * 3. the Prometheus name of the API's queue gauge (QueueGauges: the gauge of QueueStats' pending count),
 *    which KEDA scales the workers on, and the languages whose runner images a worker needs.
 */
record SourceFacts(Set<String> apiEnv, Set<String> workerEnv, Map<String, Long> defaults, String queueMetric,
                   Set<String> languages) {

    private static final Pattern ENV_READ = Pattern.compile("env\\.(?:string|integer|number|flag)\\(\\s*\"([A-Z0-9_]+)\"");
    private static final Pattern NUMERIC_DEFAULT =
            Pattern.compile("env\\.(?:integer|number)\\(\\s*\"([A-Z0-9_]+)\",\\s*([0-9_]+)L?\\s*,");
    /** The gauge whose value is QueueStats' pending count: every claimable queued job of every tenant. */
    private static final Pattern QUEUE_GAUGE =
            Pattern.compile("gauge\\(\\s*registry,\\s*\"([a-z0-9.]+)\",\\s*\"[^\"]*\",\\s*r\\s*->\\s*r\\.stats\\(\\)\\.pending\\(\\)\\)");
    private static final Pattern LANGUAGE = Pattern.compile("new Language\\(\"([a-z0-9]+)\"");

    static SourceFacts read(Path root) {
        Path common = root.resolve("common/src/main/java/io/codeexec/common");
        String gauges = text(root.resolve("api/src/main/java/io/codeexec/api/metrics/QueueGauges.java"));
        Set<String> languages = new TreeSet<>();
        all(LANGUAGE, text(common.resolve("job/LanguageCatalog.java")), languages);
        Map<String, Long> defaults = new TreeMap<>();
        sources(root, "common", "worker").forEach(f -> {
            Matcher m = NUMERIC_DEFAULT.matcher(text(f));
            while (m.find()) {
                defaults.put(m.group(1), Long.parseLong(m.group(2).replace("_", "")));
            }
        });
        return new SourceFacts(envRead(root, "common", "api"), envRead(root, "common", "worker"), defaults,
                prometheusName(first(QUEUE_GAUGE, gauges)), languages);
    }

    /** Micrometer's Prometheus name of a gauge without a base unit: "codeexec.queue.pending" → "codeexec_queue_pending". */
    static String prometheusName(String meter) {
        return meter.replace('.', '_');
    }

    private static Set<String> envRead(Path root, String... modules) {
        Set<String> names = new TreeSet<>();
        sources(root, modules).forEach(f -> all(ENV_READ, text(f), names));
        return names;
    }

    private static List<Path> sources(Path root, String... modules) {
        List<Path> all = new ArrayList<>();
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(all::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    private static void all(Pattern pattern, String text, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("source no longer matches " + pattern + ": update SourceFacts");
        }
        return m.group(1);
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
