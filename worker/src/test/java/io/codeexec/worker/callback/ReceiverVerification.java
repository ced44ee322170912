package io.codeexec.worker.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a receiver does with X-Codeexec-Signature, written from the README (not from CallbackSigner, so a
 * change of the scheme on our side shows up as a failed verification): split t and v1, reject a timestamp
 * more than 300 s from now, recompute HMAC-SHA256(secret, t + "." + body), compare in constant time.
 */
public final class ReceiverVerification {
    public static final long WINDOW_SECONDS = 300;

    private ReceiverVerification() {}

    public static boolean verify(String secret, String header, String rawBody, long nowSeconds) throws Exception {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length == 2 && kv[0].equals("t")) {
                t = kv[1];
            } else if (kv.length == 2 && kv[0].equals("v1")) {
                v1 = kv[1];
            }
        }
        if (t == null || v1 == null || !t.matches("\\d{1,12}")) {
            return false;
        }
        if (Math.abs(nowSeconds - Long.parseLong(t)) > WINDOW_SECONDS) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + rawBody).getBytes(StandardCharsets.UTF_8));
        byte[] given;
        try {
            given = java.util.HexFormat.of().parseHex(v1);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    /** verify at the current time. */
    public static boolean verifyNow(String secret, String header, String rawBody) throws Exception {
        return verify(secret, header, rawBody, System.currentTimeMillis() / 1000);
    }

    /** The t= of a header. */
    public static long timestamp(String header) {
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                return Long.parseLong(part.substring(2));
            }
        }
        throw new IllegalArgumentException("no t= in " + header);
    }
}
