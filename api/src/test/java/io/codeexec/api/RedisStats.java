package io.codeexec.api;

import redis.clients.jedis.UnifiedJedis;

// Reads Redis's own counters (INFO commandstats), so tests can count what the API asked of it.
final class RedisStats {
    private RedisStats() {}

    /** How many times Redis has run {@code command} (lowercase) since it started. */
    static long calls(UnifiedJedis redis, String command) {
        String prefix = "cmdstat_" + command + ":calls=";
        for (String line : redis.info("commandstats").split("\\r?\\n")) {
            if (line.startsWith(prefix)) {
                return Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length())));
            }
        }
        return 0;
    }
}
