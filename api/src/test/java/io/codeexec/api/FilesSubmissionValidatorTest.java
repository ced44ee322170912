package io.codeexec.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.config.Env;
import io.codeexec.common.job.InvalidSubmissionException;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.SourceFile;
import io.codeexec.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// Multi-file submissions: every path attack and every malformed file, each answered 400 invalid_request
// (413 for the size) naming the file at fault; and what a good one becomes.
class FilesSubmissionValidatorTest {
    private static final List<String> INSTALLED = List.of("python", "javascript", "c", "java", "rust");

    private static SubmissionValidator validator(Map<String, String> env) {
        return new SubmissionValidator(ApiConfig.fromEnv(new Env(env)), () -> INSTALLED);
    }

    private final SubmissionValidator validator = validator(Map.of());

    private JobRequest validate(Map<String, Object> body) {
        return validator.validate(Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private InvalidSubmissionException rejected(Map<String, Object> body) {
        return assertThrows(InvalidSubmissionException.class, () -> validate(body));
    }

    private static Map<String, Object> file(String name, String content) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", name);
        file.put("content", content);
        return file;
    }

    private static Map<String, Object> body(String language, Object files) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("language", language);
        body.put("files", files);
        return body;
    }

    /** main.py first, then a file of this name second: the error must name files[1]. */
    private static Map<String, Object> withSecond(String name) {
        return body("python", List.of(file("main.py", "import x"), file(name, "x = 1")));
    }

    private static void assertError(InvalidSubmissionException e, int status, String code, String field) {
        assertEquals(status, e.status(), e.getMessage());
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void filesBecomeTheProgramWithTheFirstAsEntrypoint() {
        JobRequest request = validate(body("python", List.of(file("main.py", "import lib.util"),
                file("lib/util.py", "print(1)"), file("lib/__init__.py", ""))));
        assertNull(request.code());
        assertEquals("main.py", request.entrypoint());
        assertEquals(List.of(new SourceFile("main.py", "import lib.util"), new SourceFile("lib/util.py", "print(1)"),
                new SourceFile("lib/__init__.py", "")), request.files());
    }

    @Test
    void entrypointNamesTheFileThatRuns() {
        Map<String, Object> body = body("python", List.of(file("lib.py", "N = 1"), file("app/run.py", "print(1)")));
        body.put("entrypoint", "app/run.py");
        assertEquals("app/run.py", validate(body).entrypoint());
    }

    @Test
    void base64ContentIsKeptAndDecodes() {
        byte[] data = {0, (byte) 0xfe, 10};
        Map<String, Object> bin = file("data.bin", Base64.getMimeEncoder().encodeToString(data) + "\r\n");
        bin.put("encoding", "base64");
        JobRequest request = validate(body("python", List.of(file("main.py", "print(1)"), bin)));
        assertEquals("base64", request.files().get(1).encoding());
        assertArrayEquals(data, request.files().get(1).bytes());
    }

    @Test
    void jobStoredAndReadBackKeepsItsFiles() {
        JobRequest request = validate(body("python", List.of(file("main.py", "import a"), file("a.py", "print(2)"))));
        assertEquals(request, Json.read(Json.write(request), JobRequest.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/etc/passwd", "/main.py",                                  // absolute
            "../x.py", "a/../../x.py", "..", "a/..",                    // parent segments
            "./x.py", "a/./x.py", ".", "a/.",                           // current-directory segments
            "a//x.py", "a/", "//x.py",                                  // empty segments
            "a\\x.py", "..\\..\\x.py", "C:\\x.py",                      // backslashes and drives
            "con", "CON", "con.py", "Nul.tar.gz", "aux.h", "PRN", "com1", "COM9.c", "lpt1", "LpT5.txt", "con/x.py",
            "lib/nul/x.py",                                             // device names, any case, any segment
            "a b.py", "ü.py", "x*.py", "a:b.py", "~/x.py", "$HOME.py", "x\u0000.py", "x\n.py", "a?.py", "a;b",
            "-o", "lib/-rf.c", "--help",                                // options in disguise
            ""                                                          // no name at all
    })
    void pathAttackIsRejectedNamingTheFile(String name) {
        InvalidSubmissionException e = rejected(withSecond(name));
        assertError(e, 400, "invalid_request", "files[1].name");
        assertTrue(e.getMessage().startsWith("files[1].name"), e.getMessage());
    }

    @Test
    void segmentsAreAtMost255BytesAndPathsAtMost16Deep() {
        assertError(rejected(withSecond("a".repeat(256))), 400, "invalid_request", "files[1].name");
        assertError(rejected(withSecond("d/" + "a".repeat(256) + ".py")), 400, "invalid_request", "files[1].name");
        assertEquals("b".repeat(255), validate(withSecond("b".repeat(255))).files().get(1).name());
        String sixteen = "d/".repeat(15) + "x.py";
        assertEquals(sixteen, validate(withSecond(sixteen)).files().get(1).name());
        assertError(rejected(withSecond("d/".repeat(16) + "x.py")), 400, "invalid_request", "files[1].name");
    }

    @Test
    void namesThatLookOddButAreSafeAreAccepted() {
        for (String name : List.of(".hidden.py", "...", "a-b_c.d.py", "console.py", "com10.c", "lpt.h", "nul_.py", "x..y")) {
            assertEquals(name, validate(withSecond(name)).files().get(1).name(), name);
        }
    }

    @Test
    void duplicatesAreRejectedCaseSensitively() {
        assertError(rejected(withSecond("main.py")), 400, "invalid_request", "files[1].name");
        assertEquals("Main.py", validate(withSecond("Main.py")).files().get(1).name(), "Main.py and main.py are two files");
    }

    @Test
    void aFileCannotAlsoBeADirectory() {
        assertError(rejected(body("python", List.of(file("main.py", ""), file("lib", ""), file("lib/x.py", "")))),
                400, "invalid_request", "files[2].name");
        assertError(rejected(body("python", List.of(file("main.py", ""), file("lib/x.py", ""), file("lib", "")))),
                400, "invalid_request", "files[2].name");
        assertError(rejected(body("python", List.of(file("a/b/c.py", ""), file("a/b", "")))),
                400, "invalid_request", "files[1].name");
    }

    @Test
    void atMostMaxFilesFiles() {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            files.add(file("f" + i + ".py", ""));
        }
        assertEquals(64, validate(body("python", files)).files().size(), "64 = the launcher's cap, the default");
        files.add(file("f64.py", ""));
        assertError(rejected(body("python", files)), 400, "invalid_request", "files");
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class, () -> validator(Map.of("MAX_FILES", "2"))
                .validate(Json.write(body("python", files.subList(0, 3))).getBytes(StandardCharsets.UTF_8)));
        assertError(e, 400, "invalid_request", "files");
        assertTrue(e.getMessage().contains("maximum is 2"), e.getMessage());
    }

    @Test
    void maxFilesCannotExceedTheLaunchersCap() {
        assertThrows(IllegalArgumentException.class, () -> ApiConfig.fromEnv(new Env(Map.of("MAX_FILES", "65"))));
    }

    @Test
    void theDecodedTotalIsCappedByMaxCodeBytes() {
        SubmissionValidator small = validator(Map.of("MAX_CODE_BYTES", "100"));
        List<Map<String, Object>> fits = List.of(file("main.py", "x".repeat(50)), file("b.py", "é".repeat(25)));
        small.validate(Json.write(body("python", fits)).getBytes(StandardCharsets.UTF_8));
        List<Map<String, Object>> over = List.of(file("main.py", "x".repeat(50)), file("b.py", "é".repeat(26)));
        InvalidSubmissionException e = assertThrows(InvalidSubmissionException.class,
                () -> small.validate(Json.write(body("python", over)).getBytes(StandardCharsets.UTF_8)));
        assertError(e, 413, "payload_too_large", "files[1].content");
        // base64 counts decoded: 99 bytes take 132 characters and still fit; 101 bytes do not
        Map<String, Object> encoded = file("data.bin", Base64.getEncoder().encodeToString(new byte[99]));
        encoded.put("encoding", "base64");
        small.validate(Json.write(body("python", List.of(file("main.py", "x"), encoded))).getBytes(StandardCharsets.UTF_8));
        encoded.put("content", Base64.getEncoder().encodeToString(new byte[100]));
        assertError(assertThrows(InvalidSubmissionException.class, () -> small.validate(Json.write(
                body("python", List.of(file("main.py", "x"), encoded))).getBytes(StandardCharsets.UTF_8))),
                413, "payload_too_large", "files[1].content");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "a", "abcde", "YWJj*", "YW=Jj", "====", "\u00e9\u00e9\u00e9\u00e9"})
    void invalidBase64IsRejected(String content) {
        Map<String, Object> bin = file("data.bin", content);
        bin.put("encoding", "base64");
        assertError(rejected(body("python", List.of(file("main.py", ""), bin))), 400, "invalid_request", "files[1].content");
    }

    @Test
    void malformedFilesAreNamed() {
        assertError(rejected(body("python", "main.py")), 400, "invalid_request", "files");
        assertError(rejected(body("python", Map.of("name", "main.py"))), 400, "invalid_request", "files");
        assertError(rejected(body("python", List.of())), 400, "invalid_request", "files");
        assertError(rejected(body("python", List.of(file("main.py", ""), "x.py"))), 400, "invalid_request", "files[1]");
        assertError(rejected(body("python", List.of(Map.of("content", "")))), 400, "invalid_request", "files[0].name");
        assertError(rejected(body("python", List.of(Map.of("name", 3, "content", "")))), 400, "invalid_request",
                "files[0].name");
        assertError(rejected(body("python", List.of(Map.of("name", "main.py")))), 400, "invalid_request",
                "files[0].content");
        assertError(rejected(body("python", List.of(Map.of("name", "main.py", "content", List.of())))), 400,
                "invalid_request", "files[0].content");
        assertError(rejected(body("python", List.of(Map.of("name", "main.py", "content", "", "encoding", "hex")))), 400,
                "invalid_request", "files[0].encoding");
        assertError(rejected(body("python", List.of(Map.of("name", "main.py", "content", "", "mode", "0755")))), 400,
                "invalid_request", "files[0].mode");
    }

    @Test
    void exactlyOneOfCodeAndFiles() {
        Map<String, Object> both = body("python", List.of(file("main.py", "")));
        both.put("code", "print(1)");
        assertError(rejected(both), 400, "invalid_request", "files");
        assertError(rejected(Map.of("language", "python")), 400, "missing_field", "code");
        assertError(rejected(Map.of("language", "python", "code", "print(1)", "entrypoint", "main.py")), 400,
                "invalid_request", "entrypoint");
    }

    @Test
    void theEntrypointMustBeOneOfTheFilesAndRunnable() {
        Map<String, Object> body = body("python", List.of(file("main.py", "")));
        body.put("entrypoint", "other.py");
        assertError(rejected(body), 400, "invalid_request", "entrypoint");
        body.put("entrypoint", 1);
        assertError(rejected(body), 400, "invalid_request", "entrypoint");
        Map<String, Object> java = body("java", List.of(file("Main.java", ""), file("notes.txt", "")));
        java.put("entrypoint", "notes.txt");
        assertError(rejected(java), 400, "invalid_request", "entrypoint");
        assertError(rejected(body("c", List.of(file("util.h", ""), file("main.c", "")))), 400, "invalid_request",
                "files[0].name");
        Map<String, Object> c = body("c", List.of(file("util.h", ""), file("main.c", "")));
        c.put("entrypoint", "main.c");
        assertEquals("main.c", validate(c).entrypoint());
        assertEquals("run", validate(body("python", List.of(file("run", "")))).entrypoint(), "an interpreter runs any file");
    }

    @Test
    void batchesNameTheJobAndTheFile() {
        // the batch controller prefixes a job's field with jobs[i]; the file part comes from here
        assertEquals("files[1].name", rejected(withSecond("../up.py")).field());
    }
}
