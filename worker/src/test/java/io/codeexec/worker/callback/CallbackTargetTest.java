package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallbackTargetTest {
    private static final Executor RESOLVER = Executors.newVirtualThreadPerTaskExecutor();

    private static long inSeconds(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1,true", "10.1.2.3,true", "172.16.0.1,true", "192.168.1.1,true", "169.254.169.254,true",
        "0.0.0.0,true", "100.64.0.1,true", "::1,true", "fc00::1,true", "fe80::1,true",
        "1.1.1.1,false", "8.8.8.8,false", "100.128.0.1,false", "2606:4700::1111,false"})
    void classifiesAddresses(String address, boolean isPrivate) throws Exception {
        assertEquals(isPrivate, CallbackTarget.isPrivate(InetAddress.getByName(address)), address);
    }

    @Test
    void refusesLoopbackByNameAndAllowsItWhenConfigured() throws Exception {
        String refusal = CallbackTarget.refusal(URI.create("http://localhost:9/x"), false, inSeconds(5), RESOLVER);
        assertTrue(refusal != null && refusal.contains("CALLBACK_ALLOW_PRIVATE"), refusal);
        assertNull(CallbackTarget.refusal(URI.create("http://localhost:9/x"), true, inSeconds(5), RESOLVER));
    }

    @Test
    void refusesWhatIsNotHttp() throws Exception {
        assertTrue(CallbackTarget.refusal(URI.create("file:///etc/passwd"), true, inSeconds(5), RESOLVER)
                .contains("not an absolute http"));
    }

    @Test
    void aResolverSlowerThanTheDeadlineFailsTheAttemptInTime() {
        CountDownLatch never = new CountDownLatch(1);
        Executor stuck = task -> Thread.ofVirtual().start(() -> {
            try {
                never.await();  // a resolver that never answers
            } catch (InterruptedException e) {
                return;
            }
            task.run();
        });
        long start = System.nanoTime();
        IOException failure = assertThrows(IOException.class, () -> CallbackTarget.refusal(
                URI.create("http://example.com/hook"), false, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300),
                stuck));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(failure.getMessage().contains("before the delivery deadline"), failure.getMessage());
        assertTrue(tookMs >= 250 && tookMs < 2_000, "returned after " + tookMs + " ms");
    }
}
