package io.codeexec.common.tenant;

/**
 * One API key as the admin API shows it: never the key itself, which exists only as a SHA-256.
 *
 * @param id         public key id, e.g. key_3f2a…
 * @param tenant     the tenant the key acts for
 * @param name       label given at creation
 * @param createdAt  ISO-8601 instant
 * @param lastUsedAt ISO-8601 instant of the last authenticated request (at most a minute stale), or null
 * @param revoked    whether the key was revoked (requests with it get 403 key_revoked)
 */
public record KeyRecord(String id, String tenant, String name, String createdAt, String lastUsedAt, boolean revoked) {}
