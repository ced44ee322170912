package io.codeexec.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away CA with a server certificate (for localhost and 127.0.0.1) and a client certificate,
 * made with the JDK's keytool: PEM files for redis-server, a PKCS#12 keystore for the client.
 */
public record TestCertificates(Path dir, byte[] caPem, byte[] serverCertPem, byte[] serverKeyPem, Path caFile,
                               Path clientKeystore, String password) {
    private static final String PASSWORD = "changeit";

    public static TestCertificates create(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Path ca = dir.resolve("ca.p12");
        Path server = dir.resolve("server.p12");
        Path client = dir.resolve("client.p12");
        keytool(null, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=codeexec test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        byte[] caPem = keytool(null, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString());
        Path caFile = Files.write(dir.resolve("ca.pem"), caPem);
        byte[] serverPem = signed(server, "server", "CN=localhost", ca, "SAN=dns:localhost,ip:127.0.0.1");
        signed(client, "client", "CN=codeexec test client", ca, null);
        return new TestCertificates(dir, caPem, serverPem, privateKeyPem(server, "server"), caFile, client, PASSWORD);
    }

    /** A key pair in {@code store}, its certificate signed by the CA; returns the signed certificate (PEM). */
    private static byte[] signed(Path store, String alias, String dname, Path ca, String san)
            throws IOException, InterruptedException {
        keytool(null, "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", "2", "-keystore", store.toString());
        byte[] request = keytool(null, "-certreq", "-alias", alias, "-keystore", store.toString());
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-validity", "2",
                "-keystore", ca.toString()));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        byte[] certificate = keytool(request, sign.toArray(String[]::new));
        Path file = Files.write(store.resolveSibling(alias + "-signed.pem"), certificate);
        // The CA first, so the signed reply chains up and replaces the self-signed certificate.
        keytool(null, "-importcert", "-noprompt", "-alias", "ca", "-file", store.resolveSibling("ca.pem").toString(),
                "-keystore", store.toString());
        keytool(null, "-importcert", "-noprompt", "-alias", alias, "-file", file.toString(), "-keystore", store.toString());
        return certificate;
    }

    private static byte[] privateKeyPem(Path store, String alias) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) keys.getKey(alias, PASSWORD.toCharArray());
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return ("-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] keytool(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + err);
        }
        return out;
    }
}
