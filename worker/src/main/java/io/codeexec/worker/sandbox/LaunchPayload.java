package io.codeexec.worker.sandbox;

import io.codeexec.common.job.JobRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The bytes written to a runner container's stdin for runners/launcher/launcher.c: a header line
 * "CE1 nonce cpuMs fileBytes codeLen stdinLen argc argLen..." followed by the code, the stdin and the
 * arguments. The nonce tags the launcher's report so the program cannot forge it.
 */
public record LaunchPayload(String nonce, byte[] bytes) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** 128 random bits as hex: tags the launcher's reports so a program cannot forge them. */
    static String newNonce() {
        byte[] nonceBytes = new byte[16];
        RANDOM.nextBytes(nonceBytes);
        return HexFormat.of().formatHex(nonceBytes);
    }

    public static LaunchPayload of(JobRequest request) {
        String nonce = newNonce();
        byte[] code = request.code().getBytes(StandardCharsets.UTF_8);
        byte[] stdin = request.stdin().getBytes(StandardCharsets.UTF_8);
        List<byte[]> args = new ArrayList<>();
        for (String arg : request.args()) {
            args.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder header = new StringBuilder("CE1 ").append(nonce)
                .append(' ').append(request.limits().timeMs())
                .append(' ').append(request.limits().fileBytes())
                .append(' ').append(code.length)
                .append(' ').append(stdin.length)
                .append(' ').append(args.size());
        for (byte[] arg : args) {
            header.append(' ').append(arg.length);
        }
        header.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + code.length + stdin.length + 256);
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(code);
        out.writeBytes(stdin);
        args.forEach(out::writeBytes);
        return new LaunchPayload(nonce, out.toByteArray());
    }
}
