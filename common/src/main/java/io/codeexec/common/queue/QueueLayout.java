package io.codeexec.common.queue;

import io.codeexec.common.tenant.Tenant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tenant-aware queue's shared Lua part (lua/lib/queue.lua) reads from the end of ARGV, in its
 * order: the anonymous tenant's id (a job stored without a tenant is its), then the key names and
 * prefixes the scripts derive a job's or a tenant's keys from.
 */
final class QueueLayout {
    static final List<String> ARGS = List.of(Tenant.ANONYMOUS_ID, RedisKeys.job(""), RedisKeys.tenants(), RedisKeys.pending(""),
            RedisKeys.activeBatches(""), RedisKeys.batchQueue(""), RedisKeys.tenantCounts(""), RedisKeys.queued(),
            RedisKeys.wake());

    private QueueLayout() {}

    /** A script's own arguments followed by the layout. */
    static List<String> args(List<String> own) {
        List<String> all = new ArrayList<>(own.size() + ARGS.size());
        all.addAll(own);
        all.addAll(ARGS);
        return all;
    }
}
