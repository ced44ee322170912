package io.codeexec.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codeexec.common.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    @Test
    void textUnlessTold() {
        assertEquals(LogFormat.TEXT, LogFormat.fromEnv(new Env(Map.of())));
        assertEquals(LogFormat.TEXT, LogFormat.fromEnv(new Env(Map.of("LOG_FORMAT", " "))));
        assertEquals(LogFormat.TEXT, LogFormat.fromEnv(new Env(Map.of("LOG_FORMAT", "text"))));
    }

    @Test
    void jsonInAnyCase() {
        assertEquals(LogFormat.JSON, LogFormat.fromEnv(new Env(Map.of("LOG_FORMAT", "json"))));
        assertEquals(LogFormat.JSON, LogFormat.fromEnv(new Env(Map.of("LOG_FORMAT", " JSON "))));
    }

    @Test
    void anythingElseNamesTheSettingAndTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogFormat.fromEnv(new Env(Map.of("LOG_FORMAT", "logfmt"))));
        assertEquals("LOG_FORMAT must be one of text, json, got 'logfmt'", e.getMessage());
    }
}
