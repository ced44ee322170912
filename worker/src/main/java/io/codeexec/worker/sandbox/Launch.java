package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobBudget;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.Language;
import io.codeexec.common.job.Limits;
import io.codeexec.common.job.TestCase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One job as the launcher reads it (protocol CE3, docs/launcher-protocol.md): limits, the program's
 * files (laid out by {@link SourceNaming}), the compile argv (the language's command with the job's allow-listed options), the run argv and the
 * tests. A plain job is one test made of its stdin and args. The nonce tags the launcher's records so
 * nothing else can forge them.
 */
record Launch(String nonce, byte[] bytes, List<TestCase> tests, boolean compiled) {
    static final int STOP_ON_FAILURE = 1;
    /** Payload flag: the launcher sends each test's output as chunk records while it runs (live output). */
    static final int STREAM = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Thrown for a job the launcher must not receive (an option outside the allow-list). */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The payload of a job.
     *
     * @throws SourceNaming.Unnameable when its program cannot be laid out (a compile error)
     * @throws Refused when a compiler option is outside the allow-list
     */
    static Launch of(Language language, JobRequest request) {
        return of(newNonce(), language, request);
    }

    /** As above; {@code stream}: ask for live output (chunk records). */
    static Launch of(Language language, JobRequest request, boolean stream) {
        return of(newNonce(), language, request, stream);
    }

    static Launch of(String nonce, Language language, JobRequest request) {
        return of(nonce, language, request, false);
    }

    static Launch of(String nonce, Language language, JobRequest request, boolean stream) {
        SourceNaming.Program program = SourceNaming.of(language, request);
        Language named = program.language();
        List<String> compile = compileArgv(named, request.compilerOptions());
        List<TestCase> tests = testsOf(request);
        Limits limits = request.limits();
        int size = program.files().stream().mapToInt(f -> f.content().length + f.name().length()).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
        ascii(out, "CE3 " + nonce + " " + ((request.stopOnFirstFailure() ? STOP_ON_FAILURE : 0) | (stream ? STREAM : 0)) + "\n");
        ascii(out, "limits " + limits.fileBytes() + " " + limits.outputBytes() + " " + limits.processes() + " "
                + limits.memoryMb() * 1024L + " " + limits.timeMs() + " " + limits.wallTimeMs() + " "
                + limits.compileMemoryMb() * 1024L + " " + limits.compileTimeMs() + " "
                + JobBudget.compileWallMs(limits) + "\n");
        StringBuilder files = new StringBuilder("files ").append(program.files().size());
        for (SourceNaming.ProgramFile file : program.files()) {
            files.append(' ').append(utf8(file.name()).length).append(' ').append(file.content().length);
        }
        ascii(out, files.append('\n').toString());
        for (SourceNaming.ProgramFile file : program.files()) {
            out.writeBytes(utf8(file.name()));
            out.writeBytes(file.content());
        }
        argv(out, "compile", compile);
        argv(out, "run", named.runCommand());
        ascii(out, "tests " + tests.size() + "\n");
        for (TestCase test : tests) {
            byte[] stdin = utf8(test.stdin());
            List<byte[]> args = test.args().stream().map(Launch::utf8).toList();
            StringBuilder line = new StringBuilder().append(stdin.length).append(' ').append(args.size());
            args.forEach(a -> line.append(' ').append(a.length));
            ascii(out, line.append('\n').toString());
            out.writeBytes(stdin);
            args.forEach(out::writeBytes);
        }
        return new Launch(nonce, out.toByteArray(), tests, !compile.isEmpty());
    }

    /** The tests to run: the job's own, or one made of its stdin and args. */
    static List<TestCase> testsOf(JobRequest request) {
        return request.hasTests() ? request.tests() : List.of(new TestCase("run", request.stdin(), "", request.args()));
    }

    /** The language's compile command with the job's options in place of {@link Language#OPTIONS}. */
    static List<String> compileArgv(Language language, List<String> options) {
        for (String option : options) {
            if (!language.compilerOptions().contains(option)) {
                throw new Refused("Compiler option '" + option + "' is not allowed for " + language.id());
            }
        }
        List<String> argv = new ArrayList<>();
        for (String word : language.compileCommand()) {
            if (word.equals(Language.OPTIONS)) {
                argv.addAll(options);  // argv items, never a shell
            } else {
                argv.add(word);
            }
        }
        return argv;
    }

    /** 128 random bits as 32 lowercase hex characters. */
    static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void argv(ByteArrayOutputStream out, String keyword, List<String> argv) {
        List<byte[]> items = argv.stream().map(Launch::utf8).toList();
        StringBuilder line = new StringBuilder(keyword).append(' ').append(items.size());
        items.forEach(item -> line.append(' ').append(item.length));
        ascii(out, line.append('\n').toString());
        items.forEach(out::writeBytes);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
