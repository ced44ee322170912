package io.codeexec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * make k8s-check: renders every overlay of deploy/k8s with kubectl kustomize (into
 * deploy-check/target/rendered/) and checks each against the code's own names and limits.
 */
class DeployManifestsTest {
    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    static final SourceFacts FACTS = SourceFacts.read(ROOT);
    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();

    static List<String> overlays() {
        return Rendered.overlays(ROOT);
    }

    private static Rendered rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> Rendered.render(ROOT, o, ROOT.resolve("deploy-check/target/rendered")));
    }

    private static ManifestRules rules(String overlay) {
        return new ManifestRules(rendered(overlay), FACTS);
    }

    private static void holds(String overlay, Function<ManifestRules, List<String>> rule) {
        List<String> violations = rule.apply(rules(overlay));
        assertEquals(List.of(), violations, overlay + ": " + String.join("\n", violations));
    }

    @Test
    void theOverlaysAndTheCodeFactsAreThere() {
        assertTrue(overlays().containsAll(List.of("dev", "prod", "gvisor", "gvisor-node")), overlays().toString());
        assertTrue(FACTS.workerEnv().containsAll(List.of("REDIS_URL", "WORKER_CONCURRENCY", "SHUTDOWN_GRACE_SECONDS")), FACTS.toString());
        assertTrue(FACTS.apiEnv().containsAll(List.of("REDIS_URL", "AUTH_MODE", "MAX_CODE_BYTES")), FACTS.toString());
        assertFalse(FACTS.apiEnv().contains("WORKER_CONCURRENCY"), FACTS.toString());
        assertEquals("codeexec_queue_pending", FACTS.queueMetric());
        assertEquals(8, FACTS.languages().size(), FACTS.languages().toString());
        assertEquals(2048L, FACTS.defaults().get("MAX_COMPILE_MEMORY_MB"), FACTS.defaults().toString());
        assertEquals(30L, FACTS.defaults().get("SHUTDOWN_GRACE_SECONDS"), FACTS.defaults().toString());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyImageIsPinned(String overlay) {
        holds(overlay, ManifestRules::imagesPinned);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyEnvNameIsReadByTheCodeAndTheRequiredOnesAreSet(String overlay) {
        holds(overlay, ManifestRules::envNamesKnown);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theApiHasItsProbes(String overlay) {
        holds(overlay, ManifestRules::apiProbes);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyContainerHasResources(String overlay) {
        holds(overlay, ManifestRules::resourcesSet);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theWorkerCanDrainBeforeItIsKilled(String overlay) {
        holds(overlay, ManifestRules::workerDrains);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theEngineHoldsEverySlotsSandbox(String overlay) {
        holds(overlay, ManifestRules::engineFitsSlots);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kedaScalesTheWorkerOnTheApisQueueGauge(String overlay) {
        holds(overlay, ManifestRules::kedaScaledObject);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesAndAutoscalersPointAtRealWorkloads(String overlay) {
        holds(overlay, ManifestRules::servicesSelectPods);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyReferencedSecretAndConfigMapExists(String overlay) {
        holds(overlay, ManifestRules::referencesExist);
    }

    @Test
    void theOverlaysDifferWhereTheySay() {
        String worker = ManifestRules.WORKER;
        assertEquals("runsc", rendered("gvisor").env(worker, "worker").get("SANDBOX_RUNTIME"));
        assertEquals("runc", rendered("gvisor-node").env(worker, "worker").get("SANDBOX_RUNTIME"));
        assertEquals("2", rendered("dev").env(worker, "worker").get("WORKER_CONCURRENCY"));
        assertEquals("4", rendered("prod").env(worker, "worker").get("WORKER_CONCURRENCY"));
        assertTrue(rendered("prod").find(io.fabric8.kubernetes.api.model.apps.StatefulSet.class, "codeexec-redis").isEmpty(),
                "prod brings its own Redis");
    }
}
