package io.codeexec.api;

import io.codeexec.common.queue.QueueStats;
import io.javalin.http.Context;

/** GET /stats: queue depth, jobs running, live workers and the finished-job counters, for operators. */
public final class StatsController {
    private final QueueStats stats;

    public StatsController(QueueStats stats) {
        this.stats = stats;
    }

    public void stats(Context ctx) {
        ctx.json(stats.read());
    }
}
