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
 * sandbox hosts as jobs, so each answering language has a warm host) and publishes the languages that
 * answered, with the versions they printed.
 */
final class LanguageProbe {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageProbe.class);

    private LanguageProbe() {}

    /** Returns the languages that answered. */
    static List<Language> probeAndPublish(List<Language> languages, Sandbox sandbox, LanguageRegistry registry) {
        List<Language> installed = new ArrayList<>();
        for (Language language : languages) {
            try {
                LanguageInfo info = new LanguageInfo(language.id(), language.name(), sandbox.probeVersion(language),
                        language.compiled());
                registry.publish(info);
                installed.add(language);
                LOG.info("language {} {} ready ({})", info.id(), info.version(), language.image());
            } catch (SandboxUnavailableException e) {
                LOG.warn("language {} unavailable on this worker: {}", language.id(), e.getMessage());
            }
        }
        return installed;
    }
}
