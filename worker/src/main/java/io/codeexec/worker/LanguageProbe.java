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
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * At start, runs each language's version command in its runner image (through the same locked-down
 * sandbox hosts as jobs, so each answering language has a warm host) and publishes the languages that
 * answered, with the versions they printed. A Redis that does not answer while it publishes (a pause, a
 * failover) is waited for, not fatal: a worker started during an outage serves once Redis is back.
 */
final class LanguageProbe {
    private static final Logger LOG = LoggerFactory.getLogger(LanguageProbe.class);

    /** Longest wait between two attempts to publish while Redis does not answer. */
    static final long MAX_RETRY_DELAY_MS = 5_000;

    private LanguageProbe() {}

    /** Returns the languages that answered. */
    static List<Language> probeAndPublish(List<Language> languages, Sandbox sandbox, LanguageRegistry registry) {
        List<Language> installed = new ArrayList<>();
        for (Language language : languages) {
            try {
                LanguageInfo info = new LanguageInfo(language.id(), language.name(), sandbox.probeVersion(language),
                        language.compiled());
                publishWhenReachable(registry, info);
                installed.add(language);
                LOG.info("language {} {} ready ({})", info.id(), info.version(), language.image());
            } catch (SandboxUnavailableException e) {
                LOG.warn("language {} unavailable on this worker: {}", language.id(), e.getMessage());
            }
        }
        return installed;
    }

    /** Publishes, retrying with backoff while Redis cannot be reached; says so once per language. */
    static void publishWhenReachable(LanguageRegistry registry, LanguageInfo info) {
        Backoff backoff = new Backoff(100, MAX_RETRY_DELAY_MS);
        boolean told = false;
        while (true) {
            try {
                registry.publish(info);
                if (told) {
                    LOG.info("Redis answers again: language {} published", info.id());
                }
                return;
            } catch (JedisConnectionException e) {
                if (!told) {
                    LOG.warn("Redis does not answer while publishing language {} ({}); retrying until it does",
                            info.id(), e.getMessage());
                    told = true;
                }
                if (!backoff.sleep()) {
                    throw e;  // interrupted: the worker is stopping
                }
            }
        }
    }
}
