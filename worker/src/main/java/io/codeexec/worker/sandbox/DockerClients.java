package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.net.URI;
import java.time.Duration;

/**
 * The two docker-java clients a worker needs (docker-java #1482): one for control calls with a
 * response timeout, one without for the long streams (attach, wait), whose deadline we keep ourselves.
 * Both have bounded connection pools; every streaming callback is closed after use.
 */
public record DockerClients(DockerClient control, DockerClient streaming) implements AutoCloseable {

    public static DockerClients connect(String dockerHost, int concurrency) {
        return new DockerClients(
                client(dockerHost, concurrency * 2 + 4, Duration.ofSeconds(30)),
                client(dockerHost, concurrency * 2 + 2, null));
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
