package io.codeexec.common.job;

import java.util.List;

/** One test of a grading job: the program runs with this stdin and these args; stdout is compared. */
public record TestCase(String name, String stdin, String expectedOutput, List<String> args) {
    public TestCase {
        stdin = stdin == null ? "" : stdin;
        expectedOutput = expectedOutput == null ? "" : expectedOutput;
        args = args == null ? List.of() : List.copyOf(args);
    }
}
