package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.RedisTls;
import io.codeexec.common.config.RedisUrl;
import io.codeexec.common.testing.RedisWithArgs;
import io.codeexec.common.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/** RedisConnector against real Redis servers started with a password, ACL users, a database index, TLS. */
class RedisConnectorIT {
    private static RedisConnector connector(String url) {
        return new RedisConnector(RedisUrl.parse(url), RedisTls.JVM_DEFAULTS);
    }

    @Test
    void passwordRightIsServedWrongOrMissingIsARefusalThatNamesNoSecret() throws Exception {
        try (RedisWithArgs redis = RedisWithArgs.builder().args("--requirepass", "s3cret-pw").start()) {
            String address = redis.host() + ":" + redis.port();
            RedisConnector right = connector("redis://:s3cret-pw@" + address);
            try (UnifiedJedis client = right.client(2); Jedis single = right.single()) {
                assertEquals("PONG", client.ping());
                assertEquals("PONG", single.ping());
            }
            for (String url : new String[] {"redis://:wrong-pw@" + address, "redis://" + address}) {
                try (UnifiedJedis client = connector(url).client(2)) {
                    JedisException e = assertThrows(JedisException.class, client::ping, url);
                    assertTrue(RedisRefusal.isRefusal(e), url + ": " + e);
                    assertFalse(String.valueOf(e.getMessage()).contains("wrong-pw"), e.getMessage());
                }
            }
            RedisConnector wrong = connector("redis://:wrong-pw@" + address);
            String sentence = wrong.refusal().report();
            assertEquals("Redis refused the credentials (NOAUTH/WRONGPASS) for redis://:***@" + address
                    + ": check the user and password in REDIS_URL", sentence);

            // A worker waits (claims nothing) while refused, and leaves the wait when interrupted.
            try (UnifiedJedis client = wrong.client(2)) {
                Thread waiter = new Thread(() -> wrong.awaitCredentialsAccepted(client));
                waiter.start();
                waiter.join(1_500);
                assertTrue(waiter.isAlive(), "awaitCredentialsAccepted returned although Redis refuses us");
                waiter.interrupt();
                waiter.join(5_000);
                assertFalse(waiter.isAlive());
            }
            try (UnifiedJedis client = right.client(2)) {
                right.awaitCredentialsAccepted(client);  // returns at once
            }
        }
    }

    @Test
    void aclUsersAuthenticateAsThemselvesAndTheirLimitsAreRefusals() {
        String acl = String.join("\n",
                "user default off",
                "user api on >api-pw ~codeexec:* &* +@all",
                "user reader on >reader-pw ~* &* +@read +ping") + "\n";
        try (RedisWithArgs redis = RedisWithArgs.builder()
                .file("/tmp/users.acl", acl.getBytes(StandardCharsets.UTF_8))
                .args("--aclfile", "/tmp/users.acl").start()) {
            String address = redis.host() + ":" + redis.port();
            RedisConnector apiConnector = connector("redis://api:api-pw@" + address);
            try (UnifiedJedis api = apiConnector.client(2); Jedis single = apiConnector.single()) {
                assertEquals("OK", api.set("codeexec:acl-test", "1"));
                assertEquals("api", single.aclWhoAmI());
            }
            try (UnifiedJedis reader = connector("redis://reader:reader-pw@" + address).client(2)) {
                assertEquals("1", reader.get("codeexec:acl-test"));
                JedisException e = assertThrows(JedisException.class, () -> reader.set("codeexec:acl-test", "2"));
                assertTrue(RedisRefusal.isRefusal(e), e.toString());
            }
            try (UnifiedJedis wrongUser = connector("redis://api:reader-pw@" + address).client(2)) {
                assertTrue(RedisRefusal.isRefusal(assertThrows(JedisException.class, wrongUser::ping)));
            }
        }
    }

    @Test
    void theDatabaseIndexOfTheUrlIsUsedByPooledAndSingleConnections() {
        try (RedisWithArgs redis = RedisWithArgs.builder().start()) {
            String address = redis.host() + ":" + redis.port();
            RedisConnector db5 = connector("redis://" + address + "/5");
            try (UnifiedJedis client = db5.client(2); Jedis single = db5.single();
                 Jedis raw = new Jedis(redis.host(), redis.port())) {
                client.set("codeexec:db-test", "five");
                assertNull(raw.get("codeexec:db-test"));
                raw.select(5);
                assertEquals("five", raw.get("codeexec:db-test"));
                assertEquals("five", single.get("codeexec:db-test"));
            }
        }
    }

    @Test
    void tlsTrustsTheConfiguredCaAndPresentsTheClientCertificate(@TempDir Path dir) throws Exception {
        TestCertificates certs = TestCertificates.create(dir);
        try (RedisWithArgs redis = RedisWithArgs.builder()
                .file("/tmp/tls/ca.pem", certs.caPem())
                .file("/tmp/tls/server.pem", certs.serverCertPem())
                .file("/tmp/tls/server.key", certs.serverKeyPem())
                .port(6380)
                .args("--port", "0", "--tls-port", "6380", "--tls-cert-file", "/tmp/tls/server.pem",
                        "--tls-key-file", "/tmp/tls/server.key", "--tls-ca-cert-file", "/tmp/tls/ca.pem",
                        "--tls-auth-clients", "yes", "--requirepass", "tls-pw")
                .start()) {
            String url = "rediss://:tls-pw@localhost:" + redis.port();
            RedisTls full = new RedisTls(certs.caFile(), certs.clientKeystore(), certs.password());
            RedisConnector connector = new RedisConnector(RedisUrl.parse(url), full);
            try (UnifiedJedis client = connector.client(2); Jedis single = connector.single()) {
                assertEquals("PONG", client.ping());
                assertEquals("PONG", single.ping());
            }
            // The JVM's truststore does not know our CA; without a client certificate the server hangs up.
            for (RedisTls partial : new RedisTls[] {new RedisTls(null, certs.clientKeystore(), certs.password()),
                    new RedisTls(certs.caFile(), null, null)}) {
                try (UnifiedJedis client = new RedisConnector(RedisUrl.parse(url), partial).client(2)) {
                    assertThrows(JedisException.class, client::ping, partial.toString());
                }
            }
            // Plain text to a TLS port is not an answer either.
            try (UnifiedJedis plain = connector("redis://:tls-pw@localhost:" + redis.port()).client(2)) {
                assertThrows(JedisException.class, plain::ping);
            }
        }
    }
}
