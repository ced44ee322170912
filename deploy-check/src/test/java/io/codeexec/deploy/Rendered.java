package io.codeexec.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One overlay rendered by {@code kubectl kustomize} (into target/rendered/) and loaded with fabric8's
 * model: typed objects for the core kinds, {@link GenericKubernetesResource} for KEDA's.
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
}
