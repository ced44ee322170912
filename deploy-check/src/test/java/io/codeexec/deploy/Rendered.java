package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One overlay rendered by {@code kubectl kustomize} (into target/rendered/) and loaded with fabric8's
 * model: typed objects for the core kinds, {@link GenericKubernetesResource} for KEDA's; plus the
 * look-ups the rules share (pods, containers, the environment a container really gets).
 */
record Rendered(String overlay, List<HasMetadata> objects) {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final long RENDER_TIMEOUT_SECONDS = 60;

    /** The overlays under deploy/k8s/overlays, each a directory with a kustomization.yaml. */
    static List<String> overlays(Path root) {
        try (Stream<Path> dirs = Files.list(root.resolve("deploy/k8s/overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendered render(Path root, String overlay, Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path out = outDir.resolve(overlay + ".yaml");
            Process kubectl;
            try {
                kubectl = new ProcessBuilder("kubectl", "kustomize", root.resolve("deploy/k8s/overlays").resolve(overlay).toString())
                        .redirectOutput(out.toFile()).redirectErrorStream(false).start();
            } catch (IOException e) {
                throw new IllegalStateException("kubectl not found on PATH: run scripts/ensure-kubectl.sh (make k8s-check and make test do)", e);
            }
            if (!kubectl.waitFor(RENDER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                kubectl.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + overlay + " took over " + RENDER_TIMEOUT_SECONDS + " s");
            }
            String err = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + overlay + " failed: " + err);
            }
            return parse(overlay, Files.readString(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Rendered parse(String overlay, String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank()) {
                continue;
            }
            KubernetesResource object = SERIALIZATION.unmarshal(doc, KubernetesResource.class);
            if (!(object instanceof HasMetadata named)) {
                throw new IllegalStateException(overlay + ": not a Kubernetes object: " + doc);
            }
            objects.add(named);
        }
        return new Rendered(overlay, List.copyOf(objects));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    List<GenericKubernetesResource> generic(String kind) {
        return all(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    /** The keys a Secret defines, in data or stringData; empty when there is no such Secret. */
    Optional<Set<String>> secretKeys(String name) {
        return find(Secret.class, name).map(s -> {
            Set<String> keys = new TreeSet<>();
            keys.addAll(Optional.ofNullable(s.getData()).orElse(Map.of()).keySet());
            keys.addAll(Optional.ofNullable(s.getStringData()).orElse(Map.of()).keySet());
            return keys;
        });
    }

    Optional<Map<String, String>> configMap(String name) {
        return find(ConfigMap.class, name).map(c -> Optional.ofNullable(c.getData()).orElse(Map.of()));
    }

    /** The environment a container gets, names to values ("<secret>"/"<field>" where not literal). */
    Map<String, String> env(String deployment, String container) {
        return container(deployment, container).map(c -> resolve(deployment, c, new ArrayList<>())).orElse(Map.of());
    }

    Map<String, String> resolve(String owner, Container c, List<String> bad) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                configMap(name).ifPresentOrElse(env::putAll, () -> bad.add(owner + ": ConfigMap " + name + " does not exist"));
            }
            if (from.getSecretRef() != null) {
                String name = from.getSecretRef().getName();
                secretKeys(name).ifPresentOrElse(keys -> keys.forEach(k -> env.put(k, "<secret>")),
                        () -> bad.add(owner + ": Secret " + name + " does not exist"));
            }
        }
        for (EnvVar v : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            String value = v.getValue();
            if (v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null) {
                var ref = v.getValueFrom().getSecretKeyRef();
                if (!secretKeys(ref.getName()).map(k -> k.contains(ref.getKey())).orElse(false)) {
                    bad.add(owner + ": " + v.getName() + " refers to missing Secret key " + ref.getName() + "/" + ref.getKey());
                }
                value = "<secret>";
            } else if (v.getValueFrom() != null && v.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = v.getValueFrom().getConfigMapKeyRef();
                value = configMap(ref.getName()).map(m -> m.get(ref.getKey())).orElse(null);
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

    Optional<Container> container(String deployment, String name) {
        return find(Deployment.class, deployment).flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> name.equals(c.getName())).findFirst());
    }

    List<PodTemplateSpec> templates() {
        return Stream.concat(all(Deployment.class).stream().map(d -> d.getSpec().getTemplate()),
                all(StatefulSet.class).stream().map(s -> s.getSpec().getTemplate())).toList();
    }

    /** Pod specs by owner ("Deployment/name"). */
    Map<String, PodSpec> pods() {
        Map<String, PodSpec> pods = new LinkedHashMap<>();
        all(Deployment.class).forEach(d -> pods.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        all(StatefulSet.class).forEach(s -> pods.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        return pods;
    }

    /** Init containers (sidecars included) and containers. */
    static List<Container> containers(PodSpec pod) {
        return Stream.concat(Optional.ofNullable(pod.getInitContainers()).orElse(List.of()).stream(),
                pod.getContainers().stream()).toList();
    }
}
