package io.codeexec.worker.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a callback proves it comes from us and is fresh:
 * {@code X-Codeexec-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>}, where the secret
 * is the tenant's own (see {@link CallbackSecrets}). The timestamp is signed with the body, so a receiver that
 * rejects {@code |now - t| > }{@link #REPLAY_WINDOW_SECONDS} cannot be fed an old delivery again. The one place
 * the scheme lives; the README's receiver examples recompute exactly this.
 */
public final class CallbackSigner {
    public static final String SIGNATURE_HEADER = "X-Codeexec-Signature";
    /** How old (or how far ahead) a signature a receiver should accept; documented for receivers. */
    public static final long REPLAY_WINDOW_SECONDS = 300;

    private CallbackSigner() {}

    /** The header value for {@code body} signed at {@code unixSeconds} under {@code secret}. */
    public static String signature(String secret, long unixSeconds, String body) {
        return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
    }

    private static String hmacHex(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
