package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The KEDA objects' invariants: one ScaledObject on the worker Deployment, a redis trigger on the
 * pending list whose listLength is WORKER_CONCURRENCY, addresses and credentials that exist.
 */
final class KedaRules {
    private final Rendered r;
    private final SourceFacts facts;

    KedaRules(Rendered r, SourceFacts facts) {
        this.r = r;
        this.facts = facts;
    }

    List<String> check() {
        List<String> bad = new ArrayList<>();
        List<GenericKubernetesResource> scaled = r.generic("ScaledObject");
        if (scaled.size() != 1) {
            return List.of("expected one KEDA ScaledObject, found " + scaled.size());
        }
        GenericKubernetesResource so = scaled.get(0);
        if (!"keda.sh/v1alpha1".equals(so.getApiVersion())) {
            bad.add("ScaledObject apiVersion " + so.getApiVersion());
        }
        String target = so.get("spec", "scaleTargetRef", "name");
        String kind = Objects.requireNonNullElse(so.get("spec", "scaleTargetRef", "kind"), "Deployment");
        if (!ManifestRules.WORKER.equals(target) || !kind.equals("Deployment") || r.find(Deployment.class, ManifestRules.WORKER).isEmpty()) {
            bad.add("scaleTargetRef " + kind + "/" + target + " is not the worker Deployment " + ManifestRules.WORKER);
        }
        Number min = so.get("spec", "minReplicaCount");
        Number max = so.get("spec", "maxReplicaCount");
        if (min == null || max == null || min.intValue() > max.intValue() || max.intValue() < 1) {
            bad.add("min/maxReplicaCount " + min + "/" + max + " are not a valid range");
        }
        List<Map<String, Object>> triggers = so.get("spec", "triggers");
        String concurrency = r.env(ManifestRules.WORKER, "worker").get("WORKER_CONCURRENCY");
        Map<String, Object> pending = triggers == null ? null : triggers.stream()
                .filter(t -> "redis".equals(t.get("type")))
                .filter(t -> facts.pendingList().equals(meta(t).get("listName"))).findFirst().orElse(null);
        if (pending == null) {
            bad.add("no redis trigger on " + facts.pendingList());
        } else if (concurrency == null || !concurrency.equals(meta(pending).get("listLength"))) {
            bad.add("pending trigger listLength " + meta(pending).get("listLength") + " != WORKER_CONCURRENCY " + concurrency);
        }
        for (Map<String, Object> t : triggers == null ? List.<Map<String, Object>>of() : triggers) {
            bad.addAll(triggerReachesRedis(t));
        }
        return bad;
    }

    private List<String> triggerReachesRedis(Map<String, Object> trigger) {
        List<String> bad = new ArrayList<>();
        String address = String.valueOf(meta(trigger).get("address"));
        Optional<Service> redis = r.find(Service.class, "codeexec-redis");
        if (redis.isPresent()) {
            String expected = "codeexec-redis." + redis.get().getMetadata().getNamespace() + ".svc.cluster.local:"
                    + redis.get().getSpec().getPorts().get(0).getPort();
            if (!expected.equals(address)) {
                bad.add("KEDA trigger address " + address + " is not the in-cluster Redis " + expected);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> auth = (Map<String, Object>) trigger.get("authenticationRef");
        if (auth != null) {
            Optional<GenericKubernetesResource> ta = r.generic("TriggerAuthentication").stream()
                    .filter(t -> auth.get("name").equals(t.getMetadata().getName())).findFirst();
            if (ta.isEmpty()) {
                bad.add("KEDA authenticationRef " + auth.get("name") + " does not exist");
            } else {
                List<Map<String, Object>> refs = ta.get().get("spec", "secretTargetRef");
                for (Map<String, Object> ref : refs == null ? List.<Map<String, Object>>of() : refs) {
                    if (!r.secretKeys(String.valueOf(ref.get("name"))).map(k -> k.contains(String.valueOf(ref.get("key")))).orElse(false)) {
                        bad.add("TriggerAuthentication refers to missing Secret key " + ref.get("name") + "/" + ref.get("key"));
                    }
                }
            }
        }
        return bad;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Map<String, Object> trigger) {
        return (Map<String, Object>) trigger.getOrDefault("metadata", Map.of());
    }
}
