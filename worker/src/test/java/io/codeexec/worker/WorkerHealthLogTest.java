package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A set-aside engine or language is said once per change, not on every failed probe (issue 12: no repeated lines). */
class WorkerHealthLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(WorkerHealth.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(lines);
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aMissingLanguageIsLoggedOnceUntilItComesBack() {
        WorkerHealth health = new WorkerHealth(Duration.ZERO);
        for (int probe = 0; probe < 5; probe++) {
            health.languageMissing("rust", new IllegalStateException("no such image"));
        }
        assertEquals(List.of("language rust set aside (no such image): its jobs go to other workers until a probe finds its image"),
                messages());
        health.languageBack("rust");
        health.languageMissing("rust", new IllegalStateException("gone again"));
        assertEquals(2, messages().size(), messages().toString());
    }

    @Test
    void anUnusableEngineIsLoggedOnceUntilItAnswers() {
        WorkerHealth health = new WorkerHealth(Duration.ZERO);
        for (int probe = 0; probe < 5; probe++) {
            health.dockerDown(new IllegalStateException("connection refused"));
        }
        assertEquals(1, messages().size(), messages().toString());
        health.dockerUp();
        health.dockerDown(new IllegalStateException("connection refused"));
        assertEquals(2, messages().size(), messages().toString());
    }
}
