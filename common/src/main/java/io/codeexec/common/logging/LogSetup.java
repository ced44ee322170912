package io.codeexec.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.codeexec.common.config.Env;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The logging setup of api and worker (found by logback through ServiceLoader; no logback.xml):
 * 1. one appender on stderr, in the {@link LogFormat} that {@code LOG_FORMAT} names: a text line
 *    ({@code 2026-11-27T00:40:00.123Z INFO  [processor-0] Processor - message job=… worker=…}) or one
 *    JSON object a line (logback's JsonEncoder: timestamp, level, threadName, loggerName, mdc,
 *    formattedMessage, throwable);
 * 2. INFO for everything, WARN for libraries that narrate routine work at INFO;
 * 3. the {@link ProcessContextFilter} that puts the worker's id on every line.
 * A bad LOG_FORMAT logs as text here; the process's own configuration check reports it and exits.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{0} - %msg"
            + "%replace( batch=%X{batch}){' batch=$', ''}"
            + "%replace( job=%X{job}){' job=$', ''}"
            + "%replace( worker=%X{worker}){' worker=$', ''}%n";

    /** Testcontainers reports every container it starts, docker-java every exchange: tests only, nothing to act on. */
    private static final Map<String, Level> QUIET = Map.of(
            "org.testcontainers", Level.WARN,
            "tc", Level.WARN,
            "com.github.dockerjava", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogFormat format;
        try {
            format = LogFormat.fromEnv(Env.system());
        } catch (IllegalArgumentException e) {
            format = LogFormat.TEXT;
        }
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setTarget("System.err");
        install(context, format, stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Wires {@code appender} as the root's only appender, encoding in {@code format}. */
    public static void install(LoggerContext context, LogFormat format, OutputStreamAppender<ILoggingEvent> appender) {
        Encoder<ILoggingEvent> encoder = switch (format) {
            case TEXT -> text(context);
            case JSON -> json(context);
        };
        appender.setContext(context);
        appender.setName("main");
        appender.setEncoder(encoder);
        appender.start();

        ProcessContextFilter processContext = new ProcessContextFilter();
        processContext.setContext(context);
        processContext.start();
        context.addTurboFilter(processContext);

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.INFO);
        root.addAppender(appender);
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }

    /** The fields a shipper needs; the unformatted message, its arguments and the context's birth date are noise. */
    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
