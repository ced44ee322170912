package io.codeexec.api.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The API explorer's files, served from the org.webjars:swagger-ui jar on the classpath (no CDN: /docs works
 * offline). Only the few files the page needs are served, each with its content type.
 */
final class SwaggerUi {
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/";
    private static final String POM_PROPERTIES = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";
    static final Map<String, String> ASSETS = Map.of(
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "swagger-ui.css", "text/css; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    record Asset(byte[] bytes, String contentType) {}

    private final String version;

    SwaggerUi() {
        this.version = webjarVersion();
    }

    /** The asset named {@code name}, or empty when it is not one of the page's files. */
    Optional<Asset> asset(String name) {
        String type = ASSETS.get(name);
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = SwaggerUi.class.getResourceAsStream(WEBJAR + version + "/" + name)) {
            return in == null ? Optional.empty() : Optional.of(new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String version() {
        return version;
    }

    private static String webjarVersion() {
        try (InputStream in = SwaggerUi.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
