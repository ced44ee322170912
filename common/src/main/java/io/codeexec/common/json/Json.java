package io.codeexec.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * The one ObjectMapper of codeexec: ISO-8601 timestamps, strict about unknown fields in requests. Its
 * parse and write buffers come from one bounded pool shared by all threads. Jackson's default keeps
 * them per thread behind soft references, and the API serves each request on a new virtual thread:
 * every request allocated fresh buffers (~20 KB) that soft references kept alive until the heap ran
 * full, so with 256 connections a 64 MB heap did a full collection every few hundred ms. An unbounded
 * shared pool keeps as many as ever were in flight (26 MB at 256 connections); this one keeps
 * {@link #POOLED_BUFFER_SETS}, and a request beyond them allocates buffers that die young.
 */
public final class Json {
    /** Buffer sets kept for reuse: more than the requests a 2-core API has on CPU at once. */
    static final int POOLED_BUFFER_SETS = 32;
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newBoundedPool(POOLED_BUFFER_SETS)).build())
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
