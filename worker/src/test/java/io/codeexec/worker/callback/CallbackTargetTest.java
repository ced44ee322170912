package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CallbackTargetTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "10.1.2.3,true", "172.16.0.1,true", "192.168.1.1,true", "169.254.169.254,true",
        "0.0.0.0,true", "100.64.0.1,true", "::1,true", "fc00::1,true", "fe80::1,true",
        "1.1.1.1,false", "8.8.8.8,false", "100.128.0.1,false", "2606:4700::1111,false"})
    void classifiesAddresses(String address, boolean isPrivate) throws Exception {
        assertEquals(isPrivate, CallbackTarget.isPrivate(InetAddress.getByName(address)), address);
    }

    @Test
    void refusesLoopbackByNameAndAllowsItWhenConfigured() {
        String refusal = CallbackTarget.refusal(URI.create("http://localhost:9/x"), false);
        assertTrue(refusal != null && refusal.contains("CALLBACK_ALLOW_PRIVATE"), refusal);
        assertNull(CallbackTarget.refusal(URI.create("http://localhost:9/x"), true));
    }
}
