package io.codeexec.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.RedisUrl.Endpoint;
import io.codeexec.common.config.RedisUrl.Scheme;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisUrlTest {
    @Test
    void plainHostGetsTheDefaultPortAndDatabaseZero() {
        RedisUrl url = RedisUrl.parse("redis://localhost");
        assertEquals(Scheme.REDIS, url.scheme());
        assertEquals(List.of(new Endpoint("localhost", 6379)), url.endpoints());
        assertEquals(0, url.database());
        assertNull(url.user());
        assertNull(url.password());
        assertFalse(url.tls());
    }

    @Test
    void userPasswordPortAndDatabase() {
        RedisUrl url = RedisUrl.parse("redis://api:s%40cr%3At@redis.internal:6380/3");
        assertEquals("api", url.user());
        assertEquals("s@cr:t", url.password());
        assertEquals(List.of(new Endpoint("redis.internal", 6380)), url.endpoints());
        assertEquals(3, url.database());
    }

    @Test
    void passwordAloneIsTheDefaultUsers() {
        RedisUrl colon = RedisUrl.parse("redis://:secret@redis:6379");
        assertNull(colon.user());
        assertEquals("secret", colon.password());
        assertEquals("secret", RedisUrl.parse("redis://secret@redis").password());
        assertEquals("a+b", RedisUrl.parse("redis://:a+b@redis").password());
        RedisUrl empty = RedisUrl.parse("redis://:@redis:6379");  // compose without REDIS_PASSWORD
        assertNull(empty.password());
        assertEquals("redis://redis:6379", empty.masked());
    }

    @Test
    void redissIsTls() {
        RedisUrl url = RedisUrl.parse("rediss://:pw@cache.example.com:6380");
        assertTrue(url.tls());
        assertEquals(6380, url.endpoints().getFirst().port());
    }

    @Test
    void sentinelTakesHostsAMasterAndDefaultsToTheSentinelPort() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://worker:pw@s1:26379,s2,[::1]:26380/2?master=mymaster");
        assertTrue(url.sentinel());
        assertEquals(List.of(new Endpoint("s1", 26379), new Endpoint("s2", 26379), new Endpoint("::1", 26380)),
                url.endpoints());
        assertEquals("mymaster", url.masterName());
        assertEquals(2, url.database());
        assertEquals("worker", url.user());
        assertEquals("pw", url.password());
    }

    @Test
    void maskedNeverShowsThePassword() {
        RedisUrl url = RedisUrl.parse("redis-sentinel://worker:hunter2@s1,s2/2?master=m");
        assertEquals("redis-sentinel://worker:***@s1:26379,s2:26379/2?master=m", url.masked());
        assertEquals(url.masked(), url.toString());
        assertEquals("redis://:***@redis:6379", RedisUrl.parse("redis://:hunter2@redis").masked());
        assertEquals("redis://***@redis/x", RedisUrl.maskedText("redis://hunter2@redis/x"));
    }

    @Test
    void badUrlsAreRefusedWithTheFormsAndWithoutThePassword() {
        for (String bad : List.of("", "localhost:6379", "http://:hunter2@h", "redis://:hunter2@", "redis://:hunter2@h:0",
                "redis://:hunter2@h:99999", "redis://:hunter2@h/x", "redis://:hunter2@h/-1", "redis://:hunter2@a,b",
                "redis-sentinel://:hunter2@a,b", "redis-sentinel://:hunter2@a?master=", "redis://:hunter2@h?master=m",
                "redis-sentinel://:hunter2@a?master=m&foo=1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("REDIS_URL "), e.getMessage());
            assertTrue(e.getMessage().contains("redis-sentinel://[user:password@]"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        }
    }
}
