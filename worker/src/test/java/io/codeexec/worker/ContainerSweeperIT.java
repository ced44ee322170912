package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.worker.reaper.DeadWorkerReaper;
import io.codeexec.worker.reaper.Reaper;
import io.codeexec.worker.sandbox.DockerClients;
import io.codeexec.worker.sandbox.Deployment;
import io.codeexec.worker.sandbox.DockerSandbox;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The start-up sweep on the real engine: of two labelled containers, the one of a worker without a
 * heartbeat is removed (once the outage rule allows), the one of a live worker never is, whatever its age.
 */
class ContainerSweeperIT {
    private static final String DOCKER_HOST = "unix:///var/run/docker.sock";
    private final String prefix = "sweep-" + HexFormat.of().formatHex(randomBytes()) + "-";
    private final String live = prefix + "live";
    private final String dead = prefix + "dead";
    private final String deployment = "test-" + prefix;
    private RedisClient redis;
    private DockerClients clients;
    private DockerClient docker;
    private ContainerSweeper sweeper;
    private Reaper reaper;
    private String liveContainer;
    private String deadContainer;
    /** A container of a worker with the dead worker's id, but of another deployment (another Redis). */
    private String otherDeploymentContainer;

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    @BeforeEach
    void start() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
        redis.flushAll();
        clients = DockerClients.connect(DOCKER_HOST, 2);
        docker = clients.control();
        liveContainer = sleeper(live, deployment);
        deadContainer = sleeper(dead, deployment);
        otherDeploymentContainer = sleeper(dead, "other-" + prefix);
    }

    private String sleeper(String worker, String deployment) {
        String id = docker.createContainerCmd("codeexec/runner-python:local")
                .withEntrypoint("sleep")
                .withCmd("300")
                .withLabels(Map.of(DockerSandbox.WORKER_LABEL, worker, DockerSandbox.JOB_LABEL, worker + "-job",
                        Deployment.LABEL, deployment))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    private boolean exists(String container) {
        try {
            docker.inspectContainerCmd(container).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (reaper != null) {
            reaper.close();
        }
        if (sweeper != null) {
            sweeper.close();
        }
        for (String container : List.of(liveContainer, deadContainer, otherDeploymentContainer)) {
            if (exists(container)) {
                docker.removeContainerCmd(container).withForce(true).exec();
            }
        }
        clients.close();
        redis.close();
    }

    @Test
    void removesOnlyTheContainersOfWorkersThatAreDead() throws Exception {
        redis.sadd(RedisKeys.workers(), live);
        redis.set(RedisKeys.heartbeat(live), "{}"); // alive however old its containers are
        sweeper = new ContainerSweeper(docker, deployment).start();
        // Only this test's workers: other tests' containers on the shared engine are not ours to judge.
        reaper = new Reaper(redis, "sweeping-worker", 1_000, List.of(new DeadWorkerReaper(redis, "sweeping-worker",
                sweeper::removeContainersOf,
                () -> sweeper.labelledWorkers().stream().filter(w -> w.startsWith(prefix)).collect(Collectors.toSet()))))
                .start();
        long started = System.nanoTime();

        Thread.sleep(10_000);
        assertTrue(exists(deadContainer), "nothing is judged before Redis was reachable for a heartbeat TTL");
        while (exists(deadContainer)) {
            assertTrue(System.nanoTime() - started < 40_000_000_000L, "the dead worker's container is removed");
            Thread.sleep(250);
        }
        Thread.sleep(3_000);
        assertTrue(exists(liveContainer), "a live worker's container is never removed");
        assertTrue(exists(otherDeploymentContainer), "another deployment's containers are never removed, even with a dead id");
        assertFalse(sweeper.labelledWorkers().contains(dead));
        assertTrue(Set.copyOf(sweeper.labelledWorkers()).contains(live));
    }
}
