package io.codeexec.e2e;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Job and batch bodies: a plausible submission (often valid, so that accepted jobs really run), then
 * zero or more mutations — a field's value replaced by any JSON, a field dropped, an unknown field, a
 * duplicated key. Programs are tiny and quick, so every accepted job finishes within seconds.
 */
final class Submissions {
    private Submissions() {}

    /** A mutation of a body's entries; shrinks towards fewer and simpler ones. */
    record Mutation(int kind, int index, String value) {
        List<String[]> apply(List<String[]> entries) {
            List<String[]> out = new ArrayList<>(entries);
            int at = out.isEmpty() ? 0 : Math.floorMod(index, out.size());
            switch (kind) {
                case 0 -> { if (!out.isEmpty()) out.set(at, new String[] {out.get(at)[0], value}); }
                case 1 -> { if (!out.isEmpty()) out.remove(at); }
                case 2 -> out.add(new String[] {"x" + Math.floorMod(index, 7), value});
                default -> { if (!out.isEmpty()) out.add(new String[] {out.get(at)[0], value}); }
            }
            return out;
        }
    }

    static Arbitrary<Mutation> mutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 20),
                JsonText.value()).as(Mutation::new);
    }

    static Arbitrary<String> jobBody() {
        return Combinators.combine(job(), mutation().list().ofMaxSize(3)).as((entries, mutations) -> {
            List<String[]> body = entries;
            for (Mutation m : mutations) {
                body = m.apply(body);
            }
            return JsonText.object(body);
        });
    }

    static Arbitrary<String> batchBody() {
        Arbitrary<String> jobs = jobBody().list().ofMinSize(0).ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<List<String[]>> entries = Combinators.combine(jobs,
                Arbitraries.of("", "{\"course\":\"cs101\"}", "[]", "\"meta\"", "{\"deep\":" + JsonText.nested(50, true) + "}"),
                Arbitraries.of("", "\"http://127.0.0.1:9/hook\"", "\"not a url\"", "123"))
                .as((j, meta, callback) -> {
                    List<String[]> e = new ArrayList<>();
                    e.add(new String[] {"jobs", j});
                    if (!meta.isEmpty()) e.add(new String[] {"metadata", meta});
                    if (!callback.isEmpty()) e.add(new String[] {"callbackUrl", callback});
                    return e;
                });
        return Combinators.combine(entries, mutation().list().ofMaxSize(2)).as((e, mutations) -> {
            List<String[]> body = e;
            for (Mutation m : mutations) {
                body = m.apply(body);
            }
            return JsonText.object(body);
        });
    }

    /** A plausible job: a quick program in an interpreted language (C now and then), optional extras. */
    static Arbitrary<List<String[]>> job() {
        Arbitrary<String[]> program = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(
                        new String[] {"python", "print('hi')"}, new String[] {"python", "print(input())"},
                        new String[] {"python", "import sys; sys.exit(3)"}, new String[] {"python", "def ("},
                        new String[] {"python", "print('x' * 100000)"}, new String[] {"python", "import time; time.sleep(0.2)"},
                        new String[] {"javascript", "console.log(42)"}, new String[] {"ruby", "puts gets"},
                        new String[] {"ruby", "raise 'boom'"}, new String[] {"javascript", "process.exit(2)"})),
                Tuple.of(1, Arbitraries.of(new String[] {"c", "int main(){return 0;}"},
                        new String[] {"c", "int main(){syntax error}"})),
                Tuple.of(2, Combinators.combine(Arbitraries.of("python", "ruby", "javascript", "cobol", "", "PYTHON", "py"),
                        Arbitraries.strings().ofMaxLength(30)).as((l, c) -> new String[] {l, c})));
        Arbitrary<String> limits = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("")),
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(-5, 5000), Arbitraries.integers().between(-5, 10000),
                        Arbitraries.integers().between(-1, 2048), Arbitraries.integers().between(-1, 1 << 22))
                        .as((t, w, m, o) -> "{\"timeMs\":" + t + ",\"wallTimeMs\":" + w + ",\"memoryMb\":" + m
                                + ",\"outputBytes\":" + o + "}")),
                Tuple.of(1, JsonText.value()));
        Arbitrary<String> tests = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just("")),
                Tuple.of(2, Combinators.combine(Arbitraries.strings().ofMaxLength(8), Arbitraries.strings().ofMaxLength(8))
                        .as((in, out) -> "{\"stdin\":" + JsonText.quote(in) + ",\"expectedOutput\":" + JsonText.quote(out) + "}")
                        .list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]")),
                Tuple.of(1, JsonText.value()));
        Arbitrary<String> extras = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("\"compare\":\"exact\"", "\"compare\":{\"float\":0.001}", "\"compare\":\"fuzzy\"",
                        "\"stopOnFirstFailure\":true", "\"args\":[\"a\",\"b\"]", "\"args\":" + "[" + "\"a\",".repeat(200) + "\"a\"]",
                        "\"stdin\":\"" + "y".repeat(70000) + "\"", "\"compilerOptions\":[\"-O2\"]", "\"compilerOptions\":[\"-fplugin=x\"]",
                        "\"callbackUrl\":\"http://127.0.0.1:9/hook\"", "\"callbackUrl\":\"javascript:alert(1)\"",
                        "\"files\":[{\"name\":\"main.py\",\"content\":\"import m\"},{\"name\":\"m.py\",\"content\":\"print(1)\"}]",
                        "\"files\":[{\"name\":\"../x.py\",\"content\":\"\"}]", "\"files\":[{\"name\":\"a.py\",\"content\":\"!!\",\"encoding\":\"base64\"}]",
                        "\"entrypoint\":\"nope.py\"")));
        return Combinators.combine(program, limits, tests, extras).as((p, l, t, x) -> {
            List<String[]> entries = new ArrayList<>();
            entries.add(new String[] {"language", JsonText.quote(p[0])});
            entries.add(new String[] {"code", JsonText.quote(p[1])});
            if (!l.isEmpty()) entries.add(new String[] {"limits", l});
            if (!t.isEmpty()) entries.add(new String[] {"tests", t});
            if (!x.isEmpty()) {
                int colon = x.indexOf("\":");
                entries.add(new String[] {x.substring(1, colon), x.substring(colon + 2)});
            }
            return entries;
        });
    }
}
