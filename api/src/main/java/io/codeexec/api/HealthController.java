package io.codeexec.api;

import io.codeexec.common.queue.RedisRefusal;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/** GET /health: the process lives. GET /ready: Redis answers, so requests can be served. */
public final class HealthController {
    private final UnifiedJedis redis;
    private final CompletionWaiter waiter;
    private final RedisRefusal refusal;

    public HealthController(UnifiedJedis redis, CompletionWaiter waiter, RedisRefusal refusal) {
        this.redis = redis;
        this.waiter = waiter;
        this.refusal = refusal;
    }

    public void health(Context ctx) {
        ctx.json(Map.of("status", "ok"));
    }

    public void ready(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            redis.ping();
            refusal.cleared();
            body.put("status", "ready");
            body.put("completionEvents", waiter.isSubscribed() ? "subscribed" : "reconnecting");
            ctx.json(body);
        } catch (RuntimeException e) {
            body.put("status", "unavailable");
            body.put("reason", RedisRefusal.isRefusal(e) ? refusal.report() : "Redis did not answer PING: " + e.getMessage());
            ctx.status(503).header("Retry-After", "5").json(body);
        }
    }
}
