package io.codeexec.common.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a {@code rediss://} connection trusts the server and proves itself:
 * REDIS_TLS_CA_FILE, PEM certificates of the CA(s) to trust (absent: the JVM's truststore);
 * REDIS_TLS_CLIENT_KEYSTORE (+ REDIS_TLS_CLIENT_KEYSTORE_PASSWORD), a PKCS#12 file with the client
 * certificate and key, when Redis asks for one (tls-auth-clients). The host name is always verified.
 */
public record RedisTls(Path caFile, Path clientKeystore, String clientKeystorePassword) {
    public static final RedisTls JVM_DEFAULTS = new RedisTls(null, null, null);

    public static RedisTls fromEnv(Env env) {
        return new RedisTls(path(env.string("REDIS_TLS_CA_FILE", "")), path(env.string("REDIS_TLS_CLIENT_KEYSTORE", "")),
                env.string("REDIS_TLS_CLIENT_KEYSTORE_PASSWORD", ""));
    }

    public SSLSocketFactory socketFactory() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore());
            KeyManagerFactory keys = null;
            if (clientKeystore != null) {
                char[] password = clientKeystorePassword == null ? new char[0] : clientKeystorePassword.toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(clientKeystore)) {
                    store.load(in, password);
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Redis TLS settings unusable (REDIS_TLS_CA_FILE=" + caFile
                    + ", REDIS_TLS_CLIENT_KEYSTORE=" + clientKeystore + "): " + e.getMessage(), e);
        }
    }

    /** Verifies the server's host name against its certificate, as HTTPS does. */
    public SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    private KeyStore trustStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int index = 0;
        try (InputStream in = Files.newInputStream(caFile)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        if (index == 0) {
            throw new GeneralSecurityException("no certificate in " + caFile);
        }
        return store;
    }

    private static Path path(String value) {
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
