package io.codeexec.common.logging;

import io.codeexec.common.config.Env;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How api and worker write their log lines: {@code LOG_FORMAT=text} (the default) or {@code json}, one object a line. */
public enum LogFormat {
    TEXT, JSON;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format the environment asks for; a value that names none fails with the allowed ones. */
    public static LogFormat fromEnv(Env env) {
        String raw = env.string("LOG_FORMAT", TEXT.wireName());  // named literally: deploy-check reads env names from the source
        for (LogFormat format : values()) {
            if (format.wireName().equalsIgnoreCase(raw)) {
                return format;
            }
        }
        throw new IllegalArgumentException("LOG_FORMAT must be one of " + allowed() + ", got '" + raw + "'");
    }

    private static String allowed() {
        return Arrays.stream(values()).map(LogFormat::wireName).collect(Collectors.joining(", "));
    }
}
