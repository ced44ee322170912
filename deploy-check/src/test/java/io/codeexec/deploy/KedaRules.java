package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The KEDA objects' invariants: one ScaledObject on the worker Deployment, with one metrics-api trigger that
 * reads the API Service's /metrics in Prometheus format, takes the queue gauge the API exports (read from
 * its source) and aims at WORKER_CONCURRENCY jobs per replica; credentials, if any, that exist.
 */
final class KedaRules {
    static final String TRIGGER = "metrics-api";
    static final String METRICS_PATH = "/metrics";

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
        List<Map<String, Object>> triggers = Objects.requireNonNullElse(so.get("spec", "triggers"), List.of());
        // The queue is per tenant: no fixed Redis key holds it, so the API's gauge is the one signal.
        triggers.stream().map(t -> String.valueOf(t.get("type"))).filter(t -> !TRIGGER.equals(t))
                .forEach(t -> bad.add("KEDA trigger of type " + t + ": the queue is read from the API's " + METRICS_PATH + " only"));
        List<Map<String, Object>> queue = triggers.stream().filter(t -> TRIGGER.equals(t.get("type"))).toList();
        if (queue.size() != 1) {
            bad.add("expected one " + TRIGGER + " trigger, found " + queue.size());
        } else {
            Map<String, Object> meta = meta(queue.get(0));
            bad.addAll(urlIsTheApiService(String.valueOf(meta.get("url"))));
            if (!"prometheus".equals(meta.get("format"))) {
                bad.add(TRIGGER + " format " + meta.get("format") + " must be prometheus (the API's /metrics is Prometheus text)");
            }
            if (!facts.queueMetric().equals(meta.get("valueLocation"))) {
                bad.add(TRIGGER + " valueLocation " + meta.get("valueLocation") + " is not the API's queue gauge " + facts.queueMetric());
            }
            String concurrency = r.env(ManifestRules.WORKER, "worker").get("WORKER_CONCURRENCY");
            if (concurrency == null || !concurrency.equals(meta.get("targetValue"))) {
                bad.add(TRIGGER + " targetValue " + meta.get("targetValue") + " != WORKER_CONCURRENCY " + concurrency);
            }
        }
        for (Map<String, Object> t : triggers) {
            bad.addAll(credentialsExist(t));
        }
        return bad;
    }

    /** http://<api service>.<namespace>.svc.cluster.local:<a port of that Service>/metrics */
    private List<String> urlIsTheApiService(String url) {
        Optional<Service> api = r.find(Service.class, ManifestRules.API);
        if (api.isEmpty()) {
            return List.of("no Service " + ManifestRules.API + " for KEDA to read " + METRICS_PATH + " from");
        }
        String host = ManifestRules.API + "." + api.get().getMetadata().getNamespace() + ".svc.cluster.local";
        List<Integer> ports = api.get().getSpec().getPorts().stream().map(p -> p.getPort()).toList();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return List.of(TRIGGER + " url " + url + " is not a URL");
        }
        int port = uri.getPort() == -1 && "http".equals(uri.getScheme()) ? 80 : uri.getPort();
        if (!"http".equals(uri.getScheme()) || !host.equals(uri.getHost()) || !ports.contains(port)
                || !METRICS_PATH.equals(uri.getPath()) || uri.getQuery() != null) {
            return List.of(TRIGGER + " url " + url + " is not the API Service's http://" + host + ":" + ports + METRICS_PATH);
        }
        return List.of();
    }

    private List<String> credentialsExist(Map<String, Object> trigger) {
        List<String> bad = new ArrayList<>();
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
