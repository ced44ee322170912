package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a run ended. Only INTERNAL_ERROR is our fault; every other verdict describes the program.
 * ACCEPTED, WRONG_ANSWER and SKIPPED belong to jobs with tests; COMPILE_ERROR to compiled languages.
 */
public enum Verdict {
    OK, RUNTIME_ERROR, TIME_LIMIT_EXCEEDED, MEMORY_LIMIT_EXCEEDED, OUTPUT_LIMIT_EXCEEDED, INTERNAL_ERROR,
    ACCEPTED, WRONG_ANSWER, COMPILE_ERROR, SKIPPED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
