package io.codeexec.worker;

import io.codeexec.common.config.Env;
import io.codeexec.common.logging.LogContext;
import io.codeexec.common.logging.LogFormat;
import io.codeexec.worker.metrics.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of a worker process: reads the configuration, starts the Launcher, stops it on SIGTERM. */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) {
        WorkerConfig config;
        int metricsPort;
        try {
            config = WorkerConfig.fromEnv(Env.system());
            metricsPort = Env.system().integer("METRICS_PORT", MetricsServer.DEFAULT_PORT, 0, 65_535);
            LogFormat.fromEnv(Env.system());  // logging already runs (as text, if this is bad): say why and exit
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        LogContext.worker(config.workerId());
        Launcher launcher = new Launcher(config).start();
        MetricsServer[] metrics = new MetricsServer[1];
        // Registered first: whatever happens next, SIGTERM drains the slots and removes the sandbox hosts.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launcher.close();
            if (metrics[0] != null) {
                metrics[0].close();
            }
        }, "shutdown"));
        if (metricsPort != 0) {
            try {
                metrics[0] = MetricsServer.start(metricsPort, launcher.metrics());
            } catch (java.io.UncheckedIOException e) {
                // Serving jobs matters more than being scraped: say so once and go on without the port.
                LOG.error("{}: {}; the worker runs without its metrics endpoint", e.getMessage(),
                        e.getCause() == null ? "" : e.getCause().getMessage());
            }
        }
    }
}
