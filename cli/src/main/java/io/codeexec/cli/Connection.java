package io.codeexec.cli;

import io.codeexec.cli.api.ApiClient;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the server is and which key to send: --url/--key, else CODEEXEC_URL/CODEEXEC_KEY, else localhost. */
public final class Connection {
    static final String DEFAULT_URL = "http://localhost:8080";
    static final String URL_VARIABLE = "CODEEXEC_URL";
    static final String KEY_VARIABLE = "CODEEXEC_KEY";

    @Option(names = "--url", paramLabel = "URL",
            description = "Server URL (default: $" + URL_VARIABLE + ", else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--key", paramLabel = "KEY",
            description = "API key, sent as 'Authorization: Bearer KEY' (default: $" + KEY_VARIABLE + ").")
    String key;

    public ApiClient client() {
        return client(System.getenv());
    }

    ApiClient client(Map<String, String> env) {
        String chosen = url != null ? url : env.getOrDefault(URL_VARIABLE, DEFAULT_URL);
        if (chosen.isBlank()) {
            chosen = DEFAULT_URL;
        }
        URI uri;
        try {
            uri = URI.create(chosen.strip());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a URL: " + chosen);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw CliException.usage("the server URL must look like http://host:port, got " + chosen);
        }
        return new ApiClient(uri, key != null ? key : env.get(KEY_VARIABLE), notice -> System.err.println("codeexec: " + notice));
    }
}
