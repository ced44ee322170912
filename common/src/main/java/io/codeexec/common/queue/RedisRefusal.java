package io.codeexec.common.queue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Recognises Redis refusing our credentials (NOAUTH, WRONGPASS, NOPERM) and says so in one log line per
 * episode, with the URL masked: a wrong password is a configuration error, not a stack trace per request.
 */
public final class RedisRefusal {
    private static final Logger LOG = LoggerFactory.getLogger(RedisRefusal.class);

    private final String maskedUrl;
    private final AtomicBoolean reported = new AtomicBoolean();

    RedisRefusal(String maskedUrl) {
        this.maskedUrl = maskedUrl;
    }

    /** True when {@code failure} (or a cause) is Redis refusing the credentials or their permissions. */
    public static boolean isRefusal(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof JedisAccessControlException) {
                return true;
            }
            if (e instanceof JedisDataException && e.getMessage() != null) {
                String message = e.getMessage();
                if (message.startsWith("NOAUTH") || message.startsWith("WRONGPASS") || message.startsWith("NOPERM")) {
                    return true;
                }
            }
            if (e.getCause() == e) {
                break;
            }
        }
        return false;
    }

    /** The sentence for a refusal, logged at ERROR the first time since the last {@link #cleared}. */
    public String report() {
        String sentence = "Redis refused the credentials (NOAUTH/WRONGPASS) for " + maskedUrl
                + ": check the user and password in REDIS_URL";
        if (reported.compareAndSet(false, true)) {
            LOG.error(sentence);
        }
        return sentence;
    }

    /** Redis accepted us again: the next refusal is news and gets logged. */
    public void cleared() {
        if (reported.compareAndSet(true, false)) {
            LOG.info("Redis accepts the credentials for {} again", maskedUrl);
        }
    }
}
