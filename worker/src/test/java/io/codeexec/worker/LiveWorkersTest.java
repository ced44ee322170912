package io.codeexec.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.json.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveWorkersTest {
    @SuppressWarnings("unchecked")
    private static Map<String, Object> health(String heartbeat) {
        return (Map<String, Object>) Json.read(heartbeat, Map.class).get("health");
    }

    @Test
    void aHealthyHeartbeatServesEveryLanguage() {
        assertTrue(LiveWorkers.serves(health("{\"id\":\"w\",\"health\":{\"status\":\"ready\"}}"), "ruby"));
    }

    @Test
    void aWorkerSteppingAsideForALanguageDoesNotServeIt() {
        String heartbeat = "{\"health\":{\"stepAside\":{\"languages\":[\"ruby\"],\"engine\":\"ok\"}}}";
        assertFalse(LiveWorkers.serves(health(heartbeat), "ruby"));
        assertTrue(LiveWorkers.serves(health(heartbeat), "python"));
    }

    @Test
    void aWorkerWithoutItsEngineServesNothing() {
        String heartbeat = "{\"health\":{\"stepAside\":{\"languages\":[],\"engine\":\"cannot reach the engine\"}}}";
        assertFalse(LiveWorkers.serves(health(heartbeat), "python"));
    }

    @Test
    void aHeartbeatWithoutHealthServesNothing() {
        assertFalse(LiveWorkers.serves(health("{\"id\":\"w\"}"), "python"));
    }
}
