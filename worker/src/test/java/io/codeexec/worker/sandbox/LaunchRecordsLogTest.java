package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codeexec.common.logging.LogContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Records are fed on the attach stream's thread: a line about them still names the job whose slot made them. */
class LaunchRecordsLogTest {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";

    @Test
    void aFailingListenerIsReportedWithTheJobOfTheRecords() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LaunchRecords.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            LaunchRecords records;
            try (var job = LogContext.job("job-of-the-slot")) {
                records = LaunchRecords.forPayload(NONCE, 1024, new LaunchRecords.Listener() {
                    @Override
                    public void chunk(int test, int fd, byte[] data) {
                        throw new IllegalStateException("listener broke");
                    }
                });
            }
            byte[] chunk = ("\u001eCODEEXEC " + NONCE + " chunk test=0 fd=1 len=2\nhi").getBytes(StandardCharsets.UTF_8);
            try (var attachThread = Executors.newSingleThreadExecutor()) {
                attachThread.submit(() -> records.feed(chunk)).get();
            }
            assertEquals(1, lines.list.size(), lines.list.toString());
            assertEquals("job-of-the-slot", lines.list.getFirst().getMDCPropertyMap().get(LogContext.JOB));
        } finally {
            logger.detachAppender(lines);
        }
    }
}
