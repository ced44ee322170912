package io.codeexec.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DeploymentTest {
    @Test
    void credentialsDoNotChangeTheDeploymentButTheAddressDoes() {
        assertEquals(Deployment.of("redis://redis:6379"), Deployment.of("redis://:secret@redis:6379"));
        assertNotEquals(Deployment.of("redis://redis:6379"), Deployment.of("redis://other:6379"));
    }

    @Test
    void sentinelUrlsAreToldApartByTheirSentinelsAndMaster() {
        String a = Deployment.of("redis-sentinel://:pw1@s1:26379,s2:26379?master=m");
        assertEquals(a, Deployment.of("redis-sentinel://:pw2@s1:26379,s2:26379?master=m"));
        assertNotEquals(a, Deployment.of("redis-sentinel://:pw1@t1:26379,t2:26379?master=m"));
        assertNotEquals(a, Deployment.of("redis-sentinel://:pw1@s1:26379,s2:26379?master=other"));
    }
}
