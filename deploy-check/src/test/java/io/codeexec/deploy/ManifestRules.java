package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The invariants a rendered overlay must keep; each rule returns its violations (empty = kept), so a
 * test can show a rule fails on a broken manifest as well as passes on ours.
 */
final class ManifestRules {
    static final String API = "codeexec-api";
    static final String WORKER = "codeexec-worker";
    static final String ENGINE = "engine";
    static final String PRELOAD = "preload";
    /** Read by the JVM, not by our Env: allowed on our containers besides the names the code reads. */
    static final Set<String> JVM_ENV = Set.of("JAVA_TOOL_OPTIONS");
    static final Set<String> API_REQUIRED = Set.of("REDIS_URL");
    static final Set<String> WORKER_REQUIRED = Set.of("REDIS_URL", "WORKER_ID", "WORKER_CONCURRENCY",
            "SHUTDOWN_GRACE_SECONDS", "DOCKER_HOST", "RUNNER_IMAGE_PREFIX", "RUNNER_IMAGE_TAG");
    /** After the grace period the worker kills what still runs and waits this long for the hand-back (Launcher.stop). */
    static final int HAND_BACK_SECONDS = 5;

    private final Rendered r;
    private final SourceFacts facts;

    ManifestRules(Rendered r, SourceFacts facts) {
        this.r = r;
        this.facts = facts;
    }

    List<String> imagesPinned() {
        List<String> bad = new ArrayList<>();
        pods().forEach((owner, pod) -> containers(pod).forEach(c -> {
            String tag = tag(c.getImage());
            if (tag == null || tag.equals("latest")) {
                bad.add(owner + "/" + c.getName() + ": image " + c.getImage() + " is not pinned to a release tag");
            }
        }));
        String workerTag = worker().map(c -> tag(c.getImage())).orElse(null);
        String runnerTag = env(WORKER, "worker").get("RUNNER_IMAGE_TAG");
        if (runnerTag == null || runnerTag.isBlank() || runnerTag.equals("latest") || !runnerTag.equals(workerTag)) {
            bad.add("RUNNER_IMAGE_TAG " + runnerTag + " must be pinned and equal the worker image's tag " + workerTag);
        }
        return bad;
    }

    List<String> envNamesKnown() {
        List<String> bad = new ArrayList<>();
        for (String[] target : new String[][] {{API, "api"}, {WORKER, "worker"}}) {
            Map<String, String> env = env(target[0], target[1]);
            Set<String> read = target[0].equals(API) ? facts.apiEnv() : facts.workerEnv();
            env.keySet().stream().filter(n -> !read.contains(n) && !JVM_ENV.contains(n))
                    .forEach(n -> bad.add(target[0] + ": " + n + " is set but no code of it reads it"));
            Set<String> required = target[0].equals(API) ? API_REQUIRED : WORKER_REQUIRED;
            required.stream().filter(n -> !env.containsKey(n)).forEach(n -> bad.add(target[0] + ": " + n + " is required but not set"));
            if (target[0].equals(API) && "keys".equals(env.get("AUTH_MODE")) && !env.containsKey("ADMIN_TOKEN")) {
                bad.add(API + ": AUTH_MODE=keys without ADMIN_TOKEN");
            }
        }
        return bad;
    }

    List<String> apiProbes() {
        List<String> bad = new ArrayList<>();
        Optional<Container> api = container(API, "api");
        if (api.isEmpty()) {
            return List.of("no " + API + " Deployment with an api container");
        }
        Set<String> ports = new java.util.HashSet<>();
        api.get().getPorts().forEach(p -> {
            ports.add(String.valueOf(p.getContainerPort()));
            if (p.getName() != null) {
                ports.add(p.getName());
            }
        });
        check(bad, "readiness", api.get().getReadinessProbe(), "/ready", ports);
        check(bad, "liveness", api.get().getLivenessProbe(), "/health", ports);
        return bad;
    }

    List<String> resourcesSet() {
        List<String> bad = new ArrayList<>();
        pods().forEach((owner, pod) -> containers(pod).forEach(c -> {
            ResourceRequirements res = c.getResources();
            for (String kind : new String[] {"cpu", "memory"}) {
                if (res == null || !has(res.getRequests(), kind) || !has(res.getLimits(), kind)) {
                    bad.add(owner + "/" + c.getName() + ": " + kind + " request and limit must both be set");
                }
            }
        }));
        return bad;
    }

    List<String> workerDrains() {
        List<String> bad = new ArrayList<>();
        Optional<PodSpec> pod = Optional.ofNullable(pods().get("Deployment/" + WORKER));
        if (pod.isEmpty()) {
            return List.of("no " + WORKER + " Deployment");
        }
        String grace = env(WORKER, "worker").get("SHUTDOWN_GRACE_SECONDS");
        Long termination = pod.get().getTerminationGracePeriodSeconds();
        if (grace == null || termination == null || termination <= Long.parseLong(grace) + HAND_BACK_SECONDS) {
            bad.add("terminationGracePeriodSeconds " + termination + " must exceed SHUTDOWN_GRACE_SECONDS " + grace
                    + " + " + HAND_BACK_SECONDS + " s of hand-back");
        }
        // The engine must outlive the draining worker: a native sidecar stops after the main containers.
        Optional<Container> engine = Optional.ofNullable(pod.get().getInitContainers()).orElse(List.of()).stream()
                .filter(c -> ENGINE.equals(c.getName())).findFirst();
        if (engine.isEmpty() || !"Always".equals(engine.get().getRestartPolicy())) {
            bad.add(WORKER + ": the engine must be a native sidecar (init container, restartPolicy Always)");
        }
        String preload = Optional.ofNullable(pod.get().getInitContainers()).orElse(List.of()).stream()
                .filter(c -> PRELOAD.equals(c.getName())).findFirst()
                .map(c -> String.join(" ", Stream.concat(c.getCommand().stream(), c.getArgs().stream()).toList())).orElse("");
        facts.languages().stream().filter(l -> !preload.contains(l))
                .forEach(l -> bad.add(WORKER + ": the preload init container does not load the " + l + " runner"));
        return bad;
    }

    List<String> kedaScaledObject() {
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
        if (!WORKER.equals(target) || !kind.equals("Deployment") || r.find(Deployment.class, WORKER).isEmpty()) {
            bad.add("scaleTargetRef " + kind + "/" + target + " is not the worker Deployment " + WORKER);
        }
        Number min = so.get("spec", "minReplicaCount");
        Number max = so.get("spec", "maxReplicaCount");
        if (min == null || max == null || min.intValue() > max.intValue() || max.intValue() < 1) {
            bad.add("min/maxReplicaCount " + min + "/" + max + " are not a valid range");
        }
        List<Map<String, Object>> triggers = so.get("spec", "triggers");
        String concurrency = env(WORKER, "worker").get("WORKER_CONCURRENCY");
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

    List<String> servicesSelectPods() {
        List<String> bad = new ArrayList<>();
        for (Service svc : r.all(Service.class)) {
            Map<String, String> selector = svc.getSpec().getSelector();
            List<PodTemplateSpec> matching = templates().stream().filter(t -> selector != null && !selector.isEmpty()
                    && t.getMetadata().getLabels() != null
                    && t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            if (matching.isEmpty()) {
                bad.add("Service " + svc.getMetadata().getName() + " selects no pod template: " + selector);
                continue;
            }
            svc.getSpec().getPorts().forEach(p -> {
                String target = p.getTargetPort() == null ? String.valueOf(p.getPort())
                        : Objects.requireNonNullElse(p.getTargetPort().getStrVal(), String.valueOf(p.getTargetPort().getIntVal()));
                boolean served = matching.stream().flatMap(t -> t.getSpec().getContainers().stream())
                        .flatMap(c -> c.getPorts().stream())
                        .anyMatch(cp -> target.equals(cp.getName()) || target.equals(String.valueOf(cp.getContainerPort())));
                if (!served) {
                    bad.add("Service " + svc.getMetadata().getName() + " targets port " + target + " that no container exposes");
                }
            });
        }
        for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
            if (r.find(Deployment.class, hpa.getSpec().getScaleTargetRef().getName()).isEmpty()) {
                bad.add("HPA " + hpa.getMetadata().getName() + " targets a missing Deployment");
            }
        }
        return bad;
    }

    List<String> referencesExist() {
        List<String> bad = new ArrayList<>();
        pods().forEach((owner, pod) -> containers(pod).forEach(c -> resolve(owner + "/" + c.getName(), c, bad)));
        return bad;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** The environment a container gets, names to values ("<secret>"/"<field>" where not literal). */
    Map<String, String> env(String deployment, String container) {
        return container(deployment, container).map(c -> resolve(deployment, c, new ArrayList<>())).orElse(Map.of());
    }

    private Map<String, String> resolve(String owner, Container c, List<String> bad) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                r.configMap(name).ifPresentOrElse(env::putAll, () -> bad.add(owner + ": ConfigMap " + name + " does not exist"));
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                r.secretKeys(name).ifPresentOrElse(keys -> keys.forEach(k -> env.put(k, "<secret>")),
                        () -> bad.add(owner + ": Secret " + name + " does not exist"));
            }
        }
        for (EnvVar v : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            String value = v.getValue();
            if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
                var ref = v.getValueFrom().getSecretKeyRef();
                if (!r.secretKeys(ref.getName()).map(k -> k.contains(ref.getKey())).orElse(false)) {
                    bad.add(owner + ": " + v.getName() + " refers to missing Secret key " + ref.getName() + "/" + ref.getKey());
                }
                value = "<secret>";
            } else if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = v.getValueFrom().getConfigMapKeyRef();
                value = r.configMap(ref.getName()).map(m -> m.get(ref.getKey())).orElse(null);
                if (value == null) {
                    bad.add(owner + ": " + v.getName() + " refers to missing ConfigMap key " + ref.getName() + "/" + ref.getKey());
                }
            } else if (v.getValueFrom() != null) {
                value = "<field>";
            }
            env.put(v.getName(), value);
        }
        return env;
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

    private static void check(List<String> bad, String what, Probe probe, String path, Set<String> ports) {
        if (probe == null || probe.getHttpGet() == null || !path.equals(probe.getHttpGet().getPath())) {
            bad.add(API + ": " + what + " probe must GET " + path);
        } else {
            var port = probe.getHttpGet().getPort();
            String p = port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
            if (!ports.contains(p)) {
                bad.add(API + ": " + what + " probe port " + p + " is not a container port");
            }
        }
    }

    private static boolean has(Map<String, Quantity> values, String kind) {
        return values != null && values.get(kind) != null;
    }

    /** The tag of an image reference, or null: "reg:5000/a/b:1.2" → "1.2"; "a/b" → null; a digest counts as pinned. */
    static String tag(String image) {
        if (image == null) {
            return null;
        }
        if (image.contains("@sha256:")) {
            return image.substring(image.indexOf('@') + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }

    private Optional<Container> worker() {
        return container(WORKER, "worker");
    }

    private Optional<Container> container(String deployment, String name) {
        return r.find(Deployment.class, deployment).flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> name.equals(c.getName())).findFirst());
    }

    private List<PodTemplateSpec> templates() {
        return Stream.concat(r.all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                r.all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate())).toList();
    }

    private Map<String, PodSpec> pods() {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        r.all(Deployment.class).forEach(d -> pods.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        r.all(StatefulSet.class).forEach(s -> pods.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        return pods;
    }

    private static List<Container> containers(PodSpec pod) {
        return Stream.concat(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()).stream(),
                pod.getContainers().stream()).toList();
    }
}
