package io.codeexec.common.tenant;

/**
 * Who a request acts for. Every job and batch records its tenant id (never a key); only the same
 * tenant may read or cancel it. With AUTH_MODE=off every caller is {@link #ANONYMOUS_ID}, rate-limited
 * per client IP.
 *
 * @param id   stable tenant id ([a-z0-9-]{1,64}), the job document's {@code tenant}
 * @param name human label given when the key was created
 * @param plan the tenant's limits
 */
public record Tenant(String id, String name, Plan plan) {
    public static final String ANONYMOUS_ID = "anonymous";
}
