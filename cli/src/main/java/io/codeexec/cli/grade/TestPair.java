package io.codeexec.cli.grade;

/** One test read from disk: {@code name.in} is the program's stdin, {@code name.out} the expected stdout. */
public record TestPair(String name, String input, String expected) {}
