package io.codeexec.api.auth;

import io.codeexec.api.admin.AdminController;
import io.codeexec.common.queue.ScriptRunner;
import io.codeexec.common.tenant.KeyStore;
import io.codeexec.common.tenant.TokenBucket;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import redis.clients.jedis.UnifiedJedis;

/**
 * Wires tenants into the HTTP surface in one call from ApiServer: the authentication before-handler,
 * the RateLimit-* after-handler, the submission gate that controllers reach through
 * {@link SubmissionGate#admit}, and the /admin/keys routes.
 */
public final class Tenancy {
    private final AuthSettings settings;
    private final KeyStore keys;
    private final SubmissionGate gate;

    /** {@code scripts} carries the rate limit's script (the API's pipeline). */
    public Tenancy(AuthSettings settings, UnifiedJedis redis, ScriptRunner scripts) {
        this.settings = settings;
        this.keys = new KeyStore(redis, Clock.systemUTC());
        this.gate = new SubmissionGate(new TokenBucket(scripts, TokenBucket.MINUTE));
    }

    public void install(JavalinConfig cfg) {
        cfg.appData(SubmissionGate.KEY, gate);
        cfg.routes.before(new TenantFilter(settings, keys)::handle);
        cfg.routes.after(gate::describe);
        new AdminController(settings, keys).routes(cfg.routes);
    }
}
