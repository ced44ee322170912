package io.codeexec.worker;

import io.codeexec.common.config.Env;
import io.codeexec.worker.metrics.MetricsServer;
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
        int metricsPort = Env.system().integer("METRICS_PORT", MetricsServer.DEFAULT_PORT, 0, 65_535);
        MetricsServer metrics = metricsPort == 0 ? null : MetricsServer.start(metricsPort, launcher.metrics());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.close();
            if (metrics != null) {
                metrics.close();
            }
        }, "shutdown"));
    }
}
