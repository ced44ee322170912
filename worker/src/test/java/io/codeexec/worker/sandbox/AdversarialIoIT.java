package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.job.JobResult;
import io.codeexec.common.json.Json;
import io.codeexec.common.job.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attacks on the sandbox's input and output handling: closed streams, binary output, a large stdin,
 * an empty program and a program in the wrong language. None of them is our fault, so none may end
 * in internal_error.
 */
class AdversarialIoIT extends SandboxFixture {

    private static final Map<String, String> CLOSE_STDOUT = Map.of(
            "python", "import os, time\nprint('before')\nos.close(1)\ntime.sleep(0.2)\nx = sum(range(10**6))\n",
            "javascript", """
                    const fs = require('fs');
                    console.log('before');
                    fs.closeSync(1);
                    setTimeout(() => { let x = 0; for (let i = 0; i < 1e6; i++) x += i; }, 200);
                    """,
            "ruby", "puts 'before'\n$stdout.flush\nSTDOUT.close\nsleep 0.2\nx = (1..1_000_000).sum\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void closingStdoutEarlyIsStillOk(String language) {
        Outcome run = run(language, CLOSE_STDOUT.get(language));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("before\n", run.stdout(), run::describe);
        assertEquals(0, run.result().exitCode(), run::describe);
    }

    @Test
    void closingStdoutAndStderrDoesNotSilenceTheLauncher() {
        Outcome run = run("python", """
                import os, sys, time
                print('out')
                print('err', file=sys.stderr)
                os.close(1)
                os.close(2)
                time.sleep(0.2)
                os._exit(4)
                """);
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        assertEquals(4, run.result().exitCode(), run::describe);
        assertEquals("out\n", run.stdout(), run::describe);
        assertEquals("err\n", run.stderr(), run::describe);
    }

    private static final Map<String, String> BINARY = Map.of(
            "python", "import sys\nsys.stdout.buffer.write(bytes(range(256)))\nsys.stderr.buffer.write(bytes(range(256)))\n",
            "javascript", """
                    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
                    process.stdout.write(bytes);
                    process.stderr.write(bytes);
                    """,
            "ruby", "bytes = (0..255).to_a.pack('C*')\n$stdout.write(bytes)\n$stderr.write(bytes)\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void binaryOutputIsJsonSafe(String language) {
        Outcome run = run(language, BINARY.get(language));
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        // Bytes 0-127 are themselves (NUL and the report's record separator included); each of 128-255
        // is invalid UTF-8 on its own here and becomes one U+FFFD.
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            expected.append(i < 128 ? (char) i : '\uFFFD');
        }
        assertEquals(expected.toString(), run.stdout(), run::describe);
        assertEquals(expected.toString(), run.stderr(), run::describe);
        assertTrue(run.stdout().indexOf('\0') == 0 && run.stdout().indexOf('\uFFFD') == 128);
        String json = Json.write(run.result());
        assertEquals(run.result(), Json.read(json, JobResult.class), json);
    }

    private static final String MEBIBYTE_STDIN = "0123456789abcde\n".repeat(65_536);

    private static final Map<String, String> READ_ALL_STDIN = Map.of(
            "python", "import sys\ndata = sys.stdin.buffer.read()\nprint(len(data), data.count(b'\\n'), sys.stdin.buffer.read() == b'')\n",
            "javascript", """
                    const fs = require('fs');
                    const data = fs.readFileSync(0);
                    const more = fs.readSync(0, Buffer.alloc(16), 0, 16, null);
                    console.log(data.length, data.toString().split('\\n').length - 1, more === 0);
                    """,
            "ruby", "data = $stdin.read\nputs \"#{data.bytesize} #{data.count(\"\\n\")} #{$stdin.eof?}\"\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void mebibyteOfStdinIsReadExactlyToEndOfFile(String language) {
        assertEquals(1_048_576, MEBIBYTE_STDIN.length());
        Outcome run = run(language, READ_ALL_STDIN.get(language), MEBIBYTE_STDIN, SMALL);
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("1048576 65536 " + ("python".equals(language) ? "True" : "true") + "\n", run.stdout(), run::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void emptyProgramIsOk(String language) {
        Outcome run = run(language, "");
        assertEquals(Verdict.OK, run.verdict(), run::describe);
        assertEquals("", run.stdout(), run::describe);
        assertEquals("", run.stderr(), run::describe);
        assertEquals(0, run.result().exitCode(), run::describe);
        assertNull(run.result().signal(), run::describe);
    }

    private static final Map<String, String> FOREIGN_CODE = Map.of(
            "python", "console.log(1)\n",
            "javascript", "puts 1\n",
            "ruby", "console.log(1)\n");

    @ParameterizedTest
    @ValueSource(strings = {"python", "javascript", "ruby"})
    void codeInAnotherLanguageIsARuntimeError(String language) {
        Outcome run = run(language, FOREIGN_CODE.get(language));
        assertEquals(Verdict.RUNTIME_ERROR, run.verdict(), run::describe);
        assertEquals(1, run.result().exitCode(), run::describe);
        assertTrue(run.stderr().contains("javascript".equals(language) ? "SyntaxError" : "NameError"), run::describe);
    }
}
