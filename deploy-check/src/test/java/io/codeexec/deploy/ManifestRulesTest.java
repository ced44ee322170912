package io.codeexec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each rule fails on a manifest broken in the way it guards against: the dev overlay, rendered by
 * kubectl, with one line changed. (DeployManifestsTest shows the real overlays keep every rule.)
 */
class ManifestRulesTest {
    private static String dev;

    @BeforeAll
    static void renderDev() throws IOException {
        Path out = Files.createTempDirectory("codeexec-k8s");
        Rendered.render(DeployManifestsTest.ROOT, "dev", out);
        dev = Files.readString(out.resolve("dev.yaml"));
    }

    private static List<String> broken(String from, String to, Function<ManifestRules, List<String>> rule) {
        assertTrue(dev.contains(from), "the rendered dev overlay no longer contains: " + from);
        ManifestRules intact = new ManifestRules(Rendered.parse("dev", dev), DeployManifestsTest.FACTS);
        assertEquals(List.of(), rule.apply(intact));
        return rule.apply(new ManifestRules(Rendered.parse("dev", dev.replace(from, to)), DeployManifestsTest.FACTS));
    }

    private static void flags(List<String> violations, String expected) {
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)), "expected a violation about " + expected + ", got " + violations);
    }

    @Test
    void latestOrMissingTagsAreCaught() {
        flags(broken("image: codeexec/api:0.1.0", "image: codeexec/api:latest", ManifestRules::imagesPinned), "codeexec/api:latest");
        flags(broken("image: codeexec/redis:0.1.0", "image: codeexec/redis", ManifestRules::imagesPinned), "codeexec/redis is not pinned");
        flags(broken("RUNNER_IMAGE_TAG: 0.1.0", "RUNNER_IMAGE_TAG: latest", ManifestRules::imagesPinned), "RUNNER_IMAGE_TAG latest");
    }

    @Test
    void unknownAndMissingEnvNamesAreCaught() {
        flags(broken("WORKER_CONCURRENCY: \"2\"", "WORKER_CONCURENCY: \"2\"", ManifestRules::envNamesKnown),
                "WORKER_CONCURENCY is set but no code of it reads it");
        // A name only the API reads is unknown to the worker.
        flags(broken("ISOLATION: nested", "MAX_QUEUE_LENGTH: \"5\"", ManifestRules::envNamesKnown),
                "codeexec-worker: MAX_QUEUE_LENGTH is set but no code of it reads it");
        flags(broken("WORKER_CONCURRENCY: \"2\"", "WORKER_CONCURENCY: \"2\"", ManifestRules::envNamesKnown),
                "WORKER_CONCURRENCY is required but not set");
    }

    @Test
    void aWrongProbeIsCaught() {
        flags(broken("path: /ready", "path: /readyz", ManifestRules::apiProbes), "readiness probe must GET /ready");
    }

    @Test
    void aContainerWithoutLimitsIsCaught() {
        flags(broken("limits:\n            cpu: \"1\"\n            memory: 1Gi", "limits:\n            cpu: \"1\"",
                ManifestRules::resourcesSet), "StatefulSet/codeexec-redis/redis: memory");
    }

    @Test
    void aGracePeriodShorterThanTheDrainIsCaught() {
        flags(broken("terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds: 35", ManifestRules::workerDrains),
                "must exceed SHUTDOWN_GRACE_SECONDS 30");
        flags(broken("restartPolicy: Always", "restartPolicy: OnFailure", ManifestRules::workerDrains), "native sidecar");
    }

    @Test
    void anEngineTooSmallForItsSlotsIsCaught() {
        flags(broken("WORKER_CONCURRENCY: \"2\"", "WORKER_CONCURRENCY: \"3\"", ManifestRules::engineFitsSlots),
                "3 slots x 2048 MiB + 512 MiB = 6656Mi");
    }

    @Test
    void kedaDriftIsCaught() {
        flags(broken("targetValue: \"2\"", "targetValue: \"5\"", ManifestRules::kedaScaledObject),
                "targetValue 5 != WORKER_CONCURRENCY 2");
        flags(broken("valueLocation: codeexec_queue_pending", "valueLocation: codeexec_queue_running", ManifestRules::kedaScaledObject),
                "valueLocation codeexec_queue_running is not the API's queue gauge codeexec_queue_pending");
        flags(broken("format: prometheus", "format: json", ManifestRules::kedaScaledObject), "format json must be prometheus");
        String url = "url: http://codeexec-api.codeexec.svc.cluster.local:80/metrics";
        flags(broken(url, url.replace("codeexec-api.", "codeexec-apo."), ManifestRules::kedaScaledObject), "is not the API Service's");
        flags(broken(url, url.replace(":80/", ":8080/"), ManifestRules::kedaScaledObject), "is not the API Service's");
        flags(broken(url, url.replace(".codeexec.svc", ".default.svc"), ManifestRules::kedaScaledObject), "is not the API Service's");
        flags(broken(url, url.replace("/metrics", "/stats"), ManifestRules::kedaScaledObject), "is not the API Service's");
        flags(broken("type: metrics-api", "type: redis", ManifestRules::kedaScaledObject), "expected one metrics-api trigger, found 0");
        flags(broken("scaleTargetRef:\n    name: codeexec-worker", "scaleTargetRef:\n    name: codeexec-workers",
                ManifestRules::kedaScaledObject), "is not the worker Deployment");
    }

    @Test
    void aServiceSelectingNothingIsCaught() {
        flags(broken("  selector:\n    app.kubernetes.io/name: codeexec-api", "  selector:\n    app.kubernetes.io/name: codeexec-apo",
                ManifestRules::servicesSelectPods), "Service codeexec-api selects no pod template");
    }

    @Test
    void aMissingSecretKeyIsCaught() {
        flags(broken("key: REDIS_URL", "key: REDIS_URI", ManifestRules::referencesExist), "missing Secret key codeexec-secrets/REDIS_URI");
    }
}
