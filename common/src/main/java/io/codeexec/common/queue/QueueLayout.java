package io.codeexec.common.queue;

import java.util.ArrayList;
import java.util.List;

/**
 * The key names the tenant-aware queue's shared Lua part (lua/lib/queue.lua) reads from the end of ARGV,
 * in its order: the scripts derive a job's or a tenant's keys from these prefixes.
 */
final class QueueLayout {
    static final List<String> ARGS = List.of(RedisKeys.job(""), RedisKeys.tenants(), RedisKeys.pending(""),
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
