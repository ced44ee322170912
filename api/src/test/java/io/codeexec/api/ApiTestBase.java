package io.codeexec.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

// A fresh in-process API on a flushed test Redis for every test (see TestApi).
abstract class ApiTestBase {
    protected TestApi api;

    @BeforeEach
    void startApi() {
        api = TestApi.start();
    }

    @AfterEach
    void stopApi() {
        api.close();
    }
}
