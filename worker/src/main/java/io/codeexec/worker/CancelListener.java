package io.codeexec.worker;

import io.codeexec.common.queue.RedisConnector;
import io.codeexec.common.queue.RedisKeys;
import io.codeexec.worker.sandbox.Sandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Listens for cancelled running jobs and kills their containers when they run here. The job's state
 * was already set to cancelled by the API, so a missed message only costs the job's remaining time.
 */
final class CancelListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);

    private final RedisConnector connector;
    private final Sandbox sandbox;
    private volatile boolean stopping;
    private volatile JedisPubSub subscription;

    CancelListener(RedisConnector connector, Sandbox sandbox) {
        this.connector = connector;
        this.sandbox = sandbox;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff(100, 5_000);
        while (!stopping) {
            try (Jedis jedis = connector.single()) {
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onMessage(String channel, String jobId) {
                        if (sandbox.cancel(jobId)) {
                            LOG.info("job {} cancelled: container killed", jobId);
                        }
                    }

                    @Override
                    public void onSubscribe(String channel, int subscribedChannels) {
                        backoff.reset();
                    }
                };
                subscription = pubSub;
                if (stopping) {
                    return;
                }
                jedis.subscribe(pubSub, RedisKeys.cancelChannel());
            } catch (JedisException e) {
                if (!stopping) {
                    LOG.warn("cancel listener lost Redis ({}); reconnecting", e.getMessage());
                    if (!backoff.sleep()) {
                        return;
                    }
                }
            }
        }
    }

    void stop() {
        stopping = true;
        JedisPubSub current = subscription;
        if (current != null && current.isSubscribed()) {
            try {
                current.unsubscribe();
            } catch (JedisException e) {
                // The connection is gone already: the loop ends on its own.
            }
        }
    }
}
