package io.codeexec.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** The real logback pipeline (its own context, writing to a buffer) in both formats. */
class LogSetupTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void forget() {
        LogContext.forgetProcessWide();
        MDC.clear();
    }

    private Logger logger(LogFormat format) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setOutputStream(out);
        LogSetup.install(context, format, appender);
        return context.getLogger("io.codeexec.worker.Processor");
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void textLinesEndInTheirContext() throws Exception {
        Logger log = logger(LogFormat.TEXT);
        log.info("idle");
        LogContext.worker("w-1");
        try (var job = LogContext.job("abc123")) {
            log.warn("killed: lease lost");
        }
        log.info("after");
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main] Processor - idle"),
                lines.get(0));
        assertTrue(lines.get(1).endsWith("WARN  [main] Processor - killed: lease lost job=abc123 worker=w-1"), lines.get(1));
        assertTrue(lines.get(2).endsWith("Processor - after worker=w-1"), lines.get(2));
    }

    @Test
    void jsonLinesAreOneObjectEachWithTheContextAsFields() throws Exception {
        Logger log = logger(LogFormat.JSON);
        LogContext.worker("w-2");
        try (var job = LogContext.job("def456")) {
            log.error("failed with \"quotes\"\nand a newline", new IllegalStateException("boom"));
        }
        // A thread this code never touched (a pool or virtual thread) carries the worker's id too.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.submit(() -> log.info("from a virtual thread")).get();
        }
        List<String> lines = lines();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        assertEquals("ERROR", first.get("level").asText());
        assertEquals("io.codeexec.worker.Processor", first.get("loggerName").asText());
        assertEquals("main", first.get("threadName").asText());
        assertTrue(first.get("timestamp").asLong() > 1_700_000_000_000L, lines.get(0));
        assertEquals("failed with \"quotes\"\nand a newline", first.get("formattedMessage").asText());
        assertEquals("def456", first.get("mdc").get("job").asText());
        assertEquals("w-2", first.get("mdc").get("worker").asText());
        assertEquals("java.lang.IllegalStateException", first.get("throwable").get("className").asText());
        assertFalse(first.has("message"), "the unformatted template is left out: " + lines.get(0));
        JsonNode second = Json.MAPPER.readTree(lines.get(1));
        assertEquals("w-2", second.get("mdc").get("worker").asText());
        assertFalse(second.get("mdc").has("job"), lines.get(1));
    }

    @Test
    void scopesNestAndRestore() {
        try (var outer = LogContext.job("outer")) {
            try (var inner = LogContext.job("inner")) {
                assertEquals("inner", MDC.get(LogContext.JOB));
            }
            assertEquals("outer", MDC.get(LogContext.JOB));
        }
        assertEquals(null, MDC.get(LogContext.JOB));
    }
}
