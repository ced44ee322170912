package io.codeexec.worker.callback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a callback proves it comes from us: "X-Codeexec-Signature: sha256=<hex HMAC-SHA256 of the body>" under
 * CALLBACK_SECRET. The one place the scheme lives (the tenants work will move it to per-receiver secrets).
 */
public final class CallbackSigner {
    public static final String SIGNATURE_HEADER = "X-Codeexec-Signature";

    private CallbackSigner() {}

    /** "sha256=" + hex HMAC-SHA256 of the body under the secret: what a receiver recomputes to verify. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
