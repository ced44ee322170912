package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.TestCase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stdin payload of a graded run (launcher protocol CE2): compile once, then one process per
 * test. A job without tests in a compiled language is sent as one test with the job's stdin and
 * args. Header "CE2 nonce fileBytes outputBytes compileCpuMs compileWallMs stopOnFailure codeLen
 * tests", the code, then per test "cpuMs wallMs stdinLen argc argLen..." and its bytes.
 */
record GradedPayload(String nonce, byte[] bytes, int testCount) {
    static GradedPayload of(JobRequest request) {
        String nonce = LaunchPayload.newNonce();
        Limits limits = request.limits();
        List<TestCase> tests = testsOf(request);
        byte[] code = request.code().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(code.length + 1024);
        ascii(out, "CE2 " + nonce + " " + limits.fileBytes() + " " + limits.outputBytes() + " " + limits.compileTimeMs()
                + " " + compileWallMs(limits) + " " + (request.stopOnFirstFailure() ? 1 : 0) + " " + code.length + " "
                + tests.size() + "\n");
        out.writeBytes(code);
        for (TestCase test : tests) {
            byte[] stdin = test.stdin().getBytes(StandardCharsets.UTF_8);
            StringBuilder line = new StringBuilder().append(limits.timeMs()).append(' ').append(limits.wallTimeMs())
                    .append(' ').append(stdin.length).append(' ').append(test.args().size());
            List<byte[]> args = test.args().stream().map(a -> a.getBytes(StandardCharsets.UTF_8)).toList();
            args.forEach(a -> line.append(' ').append(a.length));
            ascii(out, line.append('\n').toString());
            out.writeBytes(stdin);
            args.forEach(out::writeBytes);
        }
        return new GradedPayload(nonce, out.toByteArray(), tests.size());
    }

    /** The tests to run: the job's own, or one made of its stdin and args. */
    static List<TestCase> testsOf(JobRequest request) {
        return request.hasTests() ? request.tests() : List.of(new TestCase("run", request.stdin(), "", request.args()));
    }

    /** Wall-clock allowance of the compile step: twice its CPU limit (compilers wait on disk too). */
    static long compileWallMs(Limits limits) {
        return 2L * limits.compileTimeMs();
    }

    /** The longest the whole run may take inside the container, compile and every test included. */
    static long totalWallMs(JobRequest request) {
        return compileWallMs(request.limits()) + (long) testsOf(request).size() * request.limits().wallTimeMs();
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
