package io.codeexec.common.job;

/** The limits a client asked for; any field may be absent and then takes the server's default. */
public record LimitsRequest(
        Integer timeMs, Integer wallTimeMs, Integer memoryMb, Integer outputBytes, Integer processes, Long fileBytes,
        Integer compileTimeMs, Integer compileMemoryMb) {

    public static final LimitsRequest NONE = new LimitsRequest(null, null, null, null, null, null);

    public LimitsRequest(Integer timeMs, Integer wallTimeMs, Integer memoryMb, Integer outputBytes, Integer processes,
                         Long fileBytes) {
        this(timeMs, wallTimeMs, memoryMb, outputBytes, processes, fileBytes, null, null);
    }
}
