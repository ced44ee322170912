package io.codeexec.e2e;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of JSON text, valid and not: every JSON type at any depth, numbers JSON has no room for
 * (NaN, Infinity, 1e999, 20-digit integers), strings with control characters, lone surrogates and
 * non-BMP characters, plus deep nesting. Text rather than trees, so that invalid tokens can be written.
 */
final class JsonText {
    private JsonText() {}

    static Arbitrary<String> value() {
        return Arbitraries.lazyOf(JsonText::leaf, JsonText::leaf, JsonText::leaf, JsonText::leaf,
                JsonText::array, JsonText::object);
    }

    static Arbitrary<String> leaf() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, string()),
                net.jqwik.api.Tuple.of(3, number()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "false", "null")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("NaN", "Infinity", "-Infinity", "undefined", "'single'",
                        "01", "0x1F", "+1", ".5", "1.", "1e", "--1", "tru", "nul", "\"unterminated", "")));
    }

    static Arbitrary<String> number() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Object::toString),
                Arbitraries.longs().map(Object::toString),
                Arbitraries.of("0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
                        "9223372036854775808", "18446744073709551616", "1e999", "-1e999", "1e-999", "1.0e308",
                        "4.9e-324", "123456789012345678901234567890", "1.5", "0.000001", "3000.0", "1E3"),
                Arbitraries.doubles().map(Object::toString));
    }

    static Arbitrary<String> string() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(JsonText::quote),
                Arbitraries.strings().all().ofMaxLength(20).map(JsonText::quote),
                Arbitraries.of("\"\"", "\" \"", "\"python\"", "\"c\"", "\"exact\"", "\"trimmed\"", "\"tokens\"",
                        "\"\\ud800\"", "\"\\udfff\"", "\"\\ud800\\u0041\"", "\"\\u0000\"", "\"a\\u0000b\"", "\"😀\"",
                        "\"\\uD83D\\uDE00\"", "\"\u0007\"", "\"\\x41\"", "\"\\q\"", "\"line\nbreak\"", "\"tab\there\"",
                        "\"utf8\"", "\"base64\"", "\"http://127.0.0.1:1/hook\"", "\"https://example.com/hook\"",
                        "\"ftp://example.com\"", "\"file:///etc/passwd\"", "\"../../etc/passwd\"", "\"/abs/path.py\"",
                        "\"con\"", "\"a/../b.py\"", "\"main.py\"", "\"" + "x".repeat(5000) + "\""));
    }

    static Arbitrary<String> array() {
        return value().list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    }

    static Arbitrary<String> object() {
        Arbitrary<String> entry = Combinators.combine(Arbitraries.oneOf(string(), Arbitraries.of(
                "\"language\"", "\"code\"", "\"limits\"", "\"tests\"", "\"stdin\"", "\"timeMs\"", "\"files\"", "\"name\"",
                "\"content\"", "\"float\"", "\"jobs\"")), value()).as((k, v) -> k + ":" + v);
        return entry.list().ofMaxSize(4).map(items -> "{" + String.join(",", items) + "}");
    }

    /** n levels of arrays or objects around a value: the parser's depth limit, not the stack, must refuse it. */
    static String nested(int depth, boolean objects) {
        StringBuilder text = new StringBuilder(depth * 6);
        for (int i = 0; i < depth; i++) {
            text.append(objects ? "{\"a\":" : "[");
        }
        text.append("1");
        for (int i = 0; i < depth; i++) {
            text.append(objects ? "}" : "]");
        }
        return text.toString();
    }

    /** A JSON string literal of any Java string (lone surrogates written as escapes). */
    static String quote(String raw) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String object(List<String[]> entries) {
        StringBuilder out = new StringBuilder("{");
        for (String[] entry : entries) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(entry[0])).append(':').append(entry[1]);
        }
        return out.append('}').toString();
    }
}
