package io.codeexec.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.codeexec.api.ApiError;
import io.codeexec.api.SubmissionValidator;
import io.codeexec.api.auth.AuthSettings;
import io.codeexec.api.auth.PlanReader;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.tenant.KeyMaterial;
import io.codeexec.common.tenant.KeyRecord;
import io.codeexec.common.tenant.KeyStore;
import io.codeexec.common.tenant.Plan;
import io.codeexec.common.tenant.Tenant;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The operators' API for tenants and keys, behind {@link AdminGuard}: POST /admin/keys creates a key (the key and
 * a new tenant's callback secret are shown in that answer only), GET /admin/keys lists them (no secrets),
 * DELETE /admin/keys/{id} revokes one, POST /admin/keys/{id}/callback-secret rotates its tenant's secret.
 */
public final class AdminController {
    /** The 201 answer to a key creation. */
    record CreatedKey(String id, String key, String tenant, String name, Plan plan, String callbackSecret,
                      String createdAt) {}

    record Keys(List<KeyRecord> keys) {}

    static final int MAX_NAME_CHARS = 100;
    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern KEY_ID = Pattern.compile("key_[0-9a-f]{16}");
    private static final Set<String> FIELDS = Set.of("name", "tenant", "plan");

    private final AuthSettings settings;
    private final KeyStore keys;
    private final AdminGuard guard;

    public AdminController(AuthSettings settings, KeyStore keys) {
        this.settings = settings;
        this.keys = keys;
        this.guard = new AdminGuard(settings.adminToken(), keys);
    }

    public void routes(JavalinDefaultRoutingApi routes) {
        routes.post("/admin/keys", this::create);
        routes.get("/admin/keys", this::list);
        routes.delete("/admin/keys/{id}", this::revoke);
        routes.post("/admin/keys/{id}/callback-secret", this::rotate);
    }

    void create(Context ctx) {
        guard.check(ctx);
        JsonNode body = SubmissionValidator.parse(ctx.bodyAsBytes());
        if (!body.isObject()) {
            throw new InvalidSubmissionException("invalid_type", null, "The request body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSubmissionException("unknown_field", name,
                        "Unknown field '" + name + "'; the fields are name, tenant and plan");
            }
        });
        String name = name(body.get("name"));
        String tenantId = tenantId(body.get("tenant"));
        JsonNode planNode = body.get("plan");
        boolean replacePlan = planNode != null && !planNode.isNull();
        Plan base = keys.tenant(tenantId).map(Tenant::plan).orElse(settings.defaultPlan());
        Plan plan = PlanReader.read(planNode, base == null ? settings.defaultPlan() : base, settings.bounds(), "plan");
        KeyStore.Created created = keys.create(tenantId, name, plan, replacePlan);
        ctx.header("Location", "/admin/keys/" + created.key().id());
        ctx.status(201).json(new CreatedKey(created.key().id(), created.plainKey(), tenantId, name,
                created.tenant().plan(), created.callbackSecret(), created.key().createdAt()));
    }

    void list(Context ctx) {
        guard.check(ctx);
        ctx.json(new Keys(keys.list()));
    }

    void revoke(Context ctx) {
        guard.check(ctx);
        String id = keyId(ctx);
        ctx.json(keys.revoke(id).orElseThrow(() -> noKey(id)));
    }

    void rotate(Context ctx) {
        guard.check(ctx);
        String id = keyId(ctx);
        KeyStore.Rotated rotated = keys.rotateCallbackSecret(id).orElseThrow(() -> noKey(id));  // {tenant, callbackSecret}
        ctx.json(rotated);
    }

    private static String name(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidSubmissionException("missing_field", "name", "name is required");
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", "name", "name must be a string");
        }
        String name = node.textValue().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidSubmissionException("invalid_value", "name",
                    "name must be 1 to " + MAX_NAME_CHARS + " characters without control characters");
        }
        return name;
    }

    /** The tenant the key acts for: the given id (an existing tenant is reused), or a new one. */
    private static String tenantId(JsonNode node) {
        if (node == null || node.isNull()) {
            return KeyMaterial.newTenantId();
        }
        if (!node.isTextual()) {
            throw new InvalidSubmissionException("invalid_type", "tenant", "tenant must be a string");
        }
        String id = node.textValue();
        if (!TENANT_ID.matcher(id).matches() || Tenant.ANONYMOUS_ID.equals(id)) {
            throw new InvalidSubmissionException("invalid_value", "tenant",
                    "tenant must be 1 to 64 of a-z, 0-9 and '-', and not '" + Tenant.ANONYMOUS_ID + "'");
        }
        return id;
    }

    private static String keyId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!KEY_ID.matcher(id).matches()) {
            throw noKey(id);
        }
        return id;
    }

    private static ApiError noKey(String id) {
        return ApiError.notFound("No API key " + id);
    }
}
