package io.codeexec.api;

import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageCatalog;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.queue.LanguageRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the workers say is installed, in catalog order, cached briefly so that validating every
 * submission does not cost a Redis round trip while new workers still show up within seconds.
 */
public final class InstalledLanguages {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);

    private record Snapshot(List<LanguageInfo> languages, long readAtNanos) {}

    private final LanguageRegistry registry;
    private final List<String> catalogOrder;
    private final long ttlNanos;
    private volatile Snapshot snapshot;

    public InstalledLanguages(LanguageRegistry registry, LanguageCatalog catalog, Duration ttl) {
        this.registry = registry;
        this.catalogOrder = catalog.all().stream().map(Language::id).toList();
        this.ttlNanos = ttl.toNanos();
    }

    /** The installed languages, python, javascript, ruby first (catalog order), then any others by id. */
    public List<LanguageInfo> list() {
        Snapshot current = snapshot;
        if (current == null || System.nanoTime() - current.readAtNanos() > ttlNanos) {
            current = new Snapshot(ordered(registry.installed()), System.nanoTime());
            snapshot = current;
        }
        return current.languages();
    }

    public List<String> ids() {
        return list().stream().map(LanguageInfo::id).toList();
    }

    private List<LanguageInfo> ordered(List<LanguageInfo> installed) {
        Map<String, LanguageInfo> byId = installed.stream()
                .collect(Collectors.toMap(LanguageInfo::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
        List<LanguageInfo> known = catalogOrder.stream().filter(byId::containsKey).map(byId::get).toList();
        List<LanguageInfo> others = installed.stream().filter(l -> !catalogOrder.contains(l.id())).toList();
        return java.util.stream.Stream.concat(known.stream(), others.stream()).toList();
    }
}
