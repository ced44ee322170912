package io.codeexec.common.job;

/**
 * The exact bytes a program wrote (within the caps), kept beside a result only when they are not
 * valid UTF-8 and so differ from its text fields. JSON carries the arrays as base64.
 */
public record RawOutput(byte[] stdout, byte[] stderr) {}
