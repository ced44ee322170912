package io.codeexec.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

/** The job limits a command may set (each test's, for grade); absent ones take the server's defaults. */
public final class LimitOptions {
    @Option(names = "--time-ms", paramLabel = "MS", description = "CPU time limit of each run.")
    Integer timeMs;

    @Option(names = "--wall-time-ms", paramLabel = "MS", description = "Wall-clock limit of each run.")
    Integer wallTimeMs;

    @Option(names = "--memory-mb", paramLabel = "MB", description = "Memory limit of each run.")
    Integer memoryMb;

    @Option(names = "--output-bytes", paramLabel = "BYTES", description = "Cap on each of stdout and stderr.")
    Integer outputBytes;

    @Option(names = "--processes", paramLabel = "N", description = "Processes and threads of each run.")
    Integer processes;

    @Option(names = "--compile-time-ms", paramLabel = "MS", description = "CPU time limit of the compile step.")
    Integer compileTimeMs;

    /** Adds "limits" to a v1 job body when any limit was given. */
    public void writeInto(ObjectNode job) {
        ObjectNode limits = job.objectNode();
        put(limits, "timeMs", timeMs);
        put(limits, "wallTimeMs", wallTimeMs);
        put(limits, "memoryMb", memoryMb);
        put(limits, "outputBytes", outputBytes);
        put(limits, "processes", processes);
        put(limits, "compileTimeMs", compileTimeMs);
        if (!limits.isEmpty()) {
            job.set("limits", limits);
        }
    }

    private static void put(ObjectNode limits, String name, Integer value) {
        if (value != null) {
            limits.put(name, value);
        }
    }
}
