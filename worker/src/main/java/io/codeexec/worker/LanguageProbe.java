package io.codeexec.worker;

import io.codeexec.common.job.Language;
import io.codeexec.common.job.LanguageInfo;
import io.codeexec.common.queue.LanguageRegistry;
import io.codeexec.worker.sandbox.Sandbox;
import io.codeexec.worker.sandbox.SandboxUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, runs each language's version command in its runner image (through the same locked-down
 * sandbox as jobs) and publishes the languages that answered, with the versions they printed.
 */
final class LanguageProbe {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageProbe.class);

    private LanguageProbe() {}

    static List<LanguageInfo> probeAndPublish(List<Language> languages, Sandbox sandbox, LanguageRegistry registry) {
        List<LanguageInfo> installed = new ArrayList<>();
        for (Language language : languages) {
            try {
                LanguageInfo info = new LanguageInfo(language.id(), language.name(), sandbox.probeVersion(language),
                        language.compiled());
                registry.publish(info);
                installed.add(info);
                LOG.info("language {} {} ready ({})", info.id(), info.version(), language.image());
            } catch (SandboxUnavailableException e) {
                LOG.warn("language {} unavailable on this worker: {}", language.id(), e.getMessage());
            }
        }
        return installed;
    }
}
