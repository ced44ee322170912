package io.codeexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codeexec.common.json.Json;
import org.junit.jupiter.api.Test;

class RunExitTest {
    private static int exit(String status, String result) throws Exception {
        return RunExit.of(Json.MAPPER.readTree("{\"status\":\"" + status + "\",\"result\":" + result + "}"));
    }

    @Test
    void theProgramsOwnStatusOrTheShellsSignalConvention() throws Exception {
        assertEquals(0, exit("completed", "{\"verdict\":\"ok\",\"exitCode\":0}"));
        assertEquals(3, exit("completed", "{\"verdict\":\"runtime_error\",\"exitCode\":3}"));
        assertEquals(128 + 11, exit("completed", "{\"verdict\":\"runtime_error\",\"exitCode\":null,\"signal\":\"SIGSEGV\"}"));
        assertEquals(128 + 6, exit("completed", "{\"verdict\":\"runtime_error\",\"signal\":\"SIGABRT\"}"));
    }

    @Test
    void verdictsThatAreNotTheProgramsDoingHaveTheirOwnStatus() throws Exception {
        assertEquals(ExitCodes.COMPILE_ERROR, exit("completed", "{\"verdict\":\"compile_error\",\"exitCode\":1}"));
        assertEquals(ExitCodes.TIME_LIMIT, exit("completed", "{\"verdict\":\"time_limit_exceeded\",\"signal\":\"SIGKILL\"}"));
        assertEquals(ExitCodes.MEMORY_LIMIT, exit("completed", "{\"verdict\":\"memory_limit_exceeded\"}"));
        assertEquals(ExitCodes.OUTPUT_LIMIT, exit("completed", "{\"verdict\":\"output_limit_exceeded\"}"));
        assertEquals(ExitCodes.INFRASTRUCTURE, exit("completed", "{\"verdict\":\"internal_error\"}"));
        assertEquals(ExitCodes.INFRASTRUCTURE, exit("cancelled", "null"));
    }
}
