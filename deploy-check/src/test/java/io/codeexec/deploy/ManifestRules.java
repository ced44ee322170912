package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
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
    static final Set<String> JVM_ENV = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX");
    static final Set<String> API_REQUIRED = Set.of("REDIS_URL");
    static final Set<String> WORKER_REQUIRED = Set.of("REDIS_URL", "WORKER_ID", "WORKER_CONCURRENCY",
            "SHUTDOWN_GRACE_SECONDS", "DOCKER_HOST", "RUNNER_IMAGE_PREFIX", "RUNNER_IMAGE_TAG");
    /** After the grace period the worker kills what still runs and waits this long for the hand-back (Launcher.stop). */
    static final int HAND_BACK_SECONDS = 5;

    /** Memory of the engine itself and of the sandbox hosts' launchers, beyond the runs' own limits. */
    static final long ENGINE_OVERHEAD_MIB = 512;

    private final Rendered r;
    private final SourceFacts facts;

    ManifestRules(Rendered r, SourceFacts facts) {
        this.r = r;
        this.facts = facts;
    }

    List<String> imagesPinned() {
        List<String> bad = new ArrayList<>();
        r.pods().forEach((owner, pod) -> Rendered.containers(pod).forEach(c -> {
            String tag = tag(c.getImage());
            if (tag == null || tag.equals("latest")) {
                bad.add(owner + "/" + c.getName() + ": image " + c.getImage() + " is not pinned to a release tag");
            }
        }));
        String workerTag = worker().map(c -> tag(c.getImage())).orElse(null);
        String runnerTag = r.env(WORKER, "worker").get("RUNNER_IMAGE_TAG");
        if (runnerTag == null || runnerTag.isBlank() || runnerTag.equals("latest") || !runnerTag.equals(workerTag)) {
            bad.add("RUNNER_IMAGE_TAG " + runnerTag + " must be pinned and equal the worker image's tag " + workerTag);
        }
        return bad;
    }

    List<String> envNamesKnown() {
        List<String> bad = new ArrayList<>();
        for (String[] target : new String[][] {{API, "api"}, {WORKER, "worker"}}) {
            Map<String, String> env = r.env(target[0], target[1]);
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
        Optional<Container> api = r.container(API, "api");
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
        r.pods().forEach((owner, pod) -> Rendered.containers(pod).forEach(c -> {
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
        Optional<PodSpec> pod = Optional.ofNullable(r.pods().get("Deployment/" + WORKER));
        if (pod.isEmpty()) {
            return List.of("no " + WORKER + " Deployment");
        }
        String grace = r.env(WORKER, "worker").get("SHUTDOWN_GRACE_SECONDS");
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

    /**
     * The sandboxes are children of the pod's engine, so its container is charged for them: its limits
     * must hold WORKER_CONCURRENCY runs at the largest memory a job may ask for (run or compile) plus
     * the engine's own, and one sandbox host's CPU share (SANDBOX_MILLICPUS) per slot.
     */
    List<String> engineFitsSlots() {
        Optional<Container> engine = r.find(Deployment.class, WORKER).stream()
                .flatMap(d -> Optional.ofNullable(d.getSpec().getTemplate().getSpec().getInitContainers()).orElse(List.of()).stream())
                .filter(c -> ENGINE.equals(c.getName())).findFirst();
        if (engine.isEmpty() || engine.get().getResources() == null || engine.get().getResources().getLimits() == null) {
            return List.of(WORKER + ": no engine container with limits");
        }
        Map<String, String> env = r.env(WORKER, "worker");
        long slots = setting(env, "WORKER_CONCURRENCY");
        long perSlotMib = Math.max(setting(env, "MAX_MEMORY_MB"), setting(env, "MAX_COMPILE_MEMORY_MB"));
        long neededMib = slots * perSlotMib + ENGINE_OVERHEAD_MIB;
        double neededCpu = slots * setting(env, "SANDBOX_MILLICPUS") / 1000.0;
        Map<String, Quantity> limits = engine.get().getResources().getLimits();
        List<String> bad = new ArrayList<>();
        if (limits.get("memory") == null
                || Quantity.getAmountInBytes(limits.get("memory")).longValue() < neededMib * 1024 * 1024) {
            bad.add(WORKER + "/engine: memory limit " + limits.get("memory") + " < " + slots + " slots x " + perSlotMib
                    + " MiB + " + ENGINE_OVERHEAD_MIB + " MiB = " + neededMib + "Mi");
        }
        if (limits.get("cpu") == null || Quantity.getAmountInBytes(limits.get("cpu")).doubleValue() < neededCpu) {
            bad.add(WORKER + "/engine: cpu limit " + limits.get("cpu") + " < " + slots + " slots x SANDBOX_MILLICPUS = " + neededCpu);
        }
        return bad;
    }

    /** A numeric setting as the worker will see it: the manifest's value, else the code's default. */
    private long setting(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value != null) {
            return Long.parseLong(value);
        }
        Long fallback = facts.defaults().get(name);
        if (fallback == null) {
            throw new IllegalStateException(name + " has no literal default in the worker's code: set it in the manifest");
        }
        return fallback;
    }

    List<String> kedaScaledObject() {
        return new KedaRules(r, facts).check();
    }

    List<String> servicesSelectPods() {
        List<String> bad = new ArrayList<>();
        for (Service svc : r.all(Service.class)) {
            Map<String, String> selector = svc.getSpec().getSelector();
            List<PodTemplateSpec> matching = r.templates().stream().filter(t -> selector != null && !selector.isEmpty()
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
        r.pods().forEach((owner, pod) -> Rendered.containers(pod).forEach(c -> r.resolve(owner + "/" + c.getName(), c, bad)));
        return bad;
    }

    // ---- helpers ----------------------------------------------------------------------------------

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
        return r.container(WORKER, "worker");
    }

}
