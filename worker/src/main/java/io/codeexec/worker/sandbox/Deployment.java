package io.codeexec.worker.sandbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which codeexec deployment a sandbox host belongs to: the workers that share one Redis (one job store)
 * form one deployment. Every host carries it as the label {@link #LABEL}, and a worker sweeps only its own
 * deployment's containers, so two deployments on one engine (staging beside production, two test runs, a
 * stack beside its own tests) never remove each other's sandboxes.
 */
public final class Deployment {
    /** Label of every sandbox host: the deployment's id. */
    public static final String LABEL = "codeexec.deployment";

    private Deployment() {}

    /**
     * The id of the deployment whose job store is {@code redisUrl}: 12 hex characters of SHA-256 over the
     * URL without its credentials (a password rotation does not change the deployment).
     */
    public static String of(String redisUrl) {
        String scope = redisUrl;
        try {
            URI uri = URI.create(redisUrl);
            scope = uri.getHost() == null
                    ? io.codeexec.common.config.RedisUrl.parse(redisUrl).masked()  // redis-sentinel://s1,s2?master=m
                    : uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort() + (uri.getPath() == null ? "" : uri.getPath());
        } catch (IllegalArgumentException e) {
            // not a URI: hash it as given
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
