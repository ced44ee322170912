package io.codeexec.api;

import io.codeexec.common.config.Env;

/**
 * The API process: reads ApiConfig from the environment (exiting with a message naming any bad
 * setting), starts the server, and stops it on SIGTERM.
 */
public final class ApiMain {
    private ApiMain() {}

    public static void main(String[] args) {
        ApiConfig config;
        try {
            config = ApiConfig.fromEnv(Env.system());
            new io.codeexec.common.queue.RedisConnector(config.redisUrl());  // validates REDIS_URL
            io.codeexec.common.logging.LogFormat.fromEnv(Env.system());  // logging runs as text if this is bad
        } catch (IllegalArgumentException e) {
            System.err.println("codeexec-api: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        ApiServer server = ApiServer.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "api-shutdown"));
    }
}
