package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.codeexec.common.job.LanguageCatalog;
import java.net.URI;
import java.time.Duration;

/**
 * The two docker-java clients a worker needs (docker-java #1482): one for control calls with a
 * response timeout, one without for the long streams, whose deadline we keep ourselves. Every sandbox
 * host holds one attach stream for its whole life, so the streaming pool is sized for the most hosts a
 * worker can have ({@link HostPool#maxHosts}); a stream is closed when its host is removed.
 */
public record DockerClients(DockerClient control, DockerClient streaming) implements AutoCloseable {

    public static DockerClients connect(String dockerHost, int concurrency) {
        return new DockerClients(
                client(dockerHost, concurrency * 2 + 4, Duration.ofSeconds(30)),
                client(dockerHost, HostPool.maxHosts(concurrency, LanguageCatalog.standard().all().size()), null));
    }

    private static DockerClient client(String dockerHost, int maxConnections, Duration responseTimeout) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create(dockerHost))
                .maxConnections(maxConnections)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    @Override
    public void close() throws java.io.IOException {
        control.close();
        streaming.close();
    }
}
