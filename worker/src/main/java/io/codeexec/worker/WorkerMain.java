package io.codeexec.worker;

import io.codeexec.common.config.Env;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of a worker process: reads the configuration, starts the Launcher, stops it on SIGTERM. */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) {
        WorkerConfig config;
        try {
            config = WorkerConfig.fromEnv(Env.system());
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        Launcher launcher = new Launcher(config).start();
        Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "shutdown"));
    }
}
