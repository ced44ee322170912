package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LiveWorkersTest {
    @Test
    void aHealthyHeartbeatServesEveryLanguage() {
        assertTrue(LiveWorkers.serves("{\"id\":\"w\",\"health\":{\"status\":\"ready\"}}", "ruby"));
    }

    @Test
    void aWorkerSteppingAsideForALanguageDoesNotServeIt() {
        String heartbeat = "{\"health\":{\"stepAside\":{\"languages\":[\"ruby\"],\"engine\":\"ok\"}}}";
        assertFalse(LiveWorkers.serves(heartbeat, "ruby"));
        assertTrue(LiveWorkers.serves(heartbeat, "python"));
    }

    @Test
    void aWorkerWithoutItsEngineServesNothing() {
        String heartbeat = "{\"health\":{\"stepAside\":{\"languages\":[],\"engine\":\"cannot reach the engine\"}}}";
        assertFalse(LiveWorkers.serves(heartbeat, "python"));
    }

    @Test
    void anUnreadableHeartbeatServesNothing() {
        assertFalse(LiveWorkers.serves("{not json", "python"));
    }
}
