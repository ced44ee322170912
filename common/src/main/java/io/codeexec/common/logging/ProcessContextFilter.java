package io.codeexec.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Stamps the process-wide keys of {@link LogContext} (the worker's id) into the MDC of whichever thread
 * is about to log, before logback reads it. Threads are made in many places (executors, virtual threads,
 * docker-java's and Jedis's own), so this is the one place that reaches them all. Decides nothing.
 */
final class ProcessContextFilter extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        Map<String, String> keys = LogContext.processWide();
        if (!keys.isEmpty()) {
            keys.forEach((key, value) -> {
                if (MDC.get(key) == null) {
                    MDC.put(key, value);
                }
            });
        }
        return FilterReply.NEUTRAL;
    }
}
