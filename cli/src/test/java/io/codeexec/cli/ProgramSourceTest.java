package io.codeexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.job.SourceFile;
import io.codeexec.common.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file → code; several files or a folder → files + entrypoint (contracts §3). */
class ProgramSourceTest {
    @TempDir
    Path dir;

    @Test
    void oneFileIsSentAsCode() throws Exception {
        Path file = Files.writeString(dir.resolve("hello.py"), "print('hi')\n");
        ObjectNode job = Json.MAPPER.createObjectNode();
        ProgramSource.ofFiles(List.of(file)).writeInto(job);
        assertEquals("{\"code\":\"print('hi')\\n\"}", job.toString());
    }

    @Test
    void severalFilesAreNamedRelativeToTheEntrypointWhichComesFirst() throws Exception {
        Files.createDirectories(dir.resolve("pkg"));
        Path main = Files.writeString(dir.resolve("app.py"), "from pkg import util\n");
        Path util = Files.writeString(dir.resolve("pkg/util.py"), "X = 1\n");
        ProgramSource program = ProgramSource.ofFiles(List.of(main, util));
        assertNull(program.code());
        assertEquals(List.of(new SourceFile("app.py", "from pkg import util\n", "utf8"), new SourceFile("pkg/util.py", "X = 1\n", "utf8")),
                program.files());
        assertEquals("app.py", program.entrypoint());
        Path outside = Files.writeString(dir.getParent().resolve("elsewhere-" + System.nanoTime() + ".py"), "");
        assertThrows(CliException.class, () -> ProgramSource.ofFiles(List.of(util, outside)));
        Files.delete(outside);
    }

    @Test
    void aFolderPutsTheLanguagesUsualFileFirstSkipsHiddenFilesAndEncodesBinary() throws Exception {
        Files.writeString(dir.resolve("a_helper.c"), "int helper(void){return 1;}\n");
        Files.writeString(dir.resolve("helper.h"), "int helper(void);\n");
        Files.writeString(dir.resolve("main.c"), "int main(void){return 0;}\n");
        Files.write(dir.resolve("data.bin"), new byte[] {(byte) 0xff, 0, 1});
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/config"), "x");
        ProgramSource program = ProgramSource.ofFolder(dir, "c");
        assertEquals(List.of("main.c", "a_helper.c", "data.bin", "helper.h"), program.files().stream().map(SourceFile::name).toList());
        assertEquals("main.c", program.entrypoint());
        SourceFile binary = program.files().get(2);
        assertEquals("base64", binary.encoding());
        assertEquals("/wAB", binary.content());
        assertFalse(program.files().stream().anyMatch(f -> f.name().contains(".git")));
    }

    @Test
    void theLanguageComesFromTheExtension() {
        assertEquals("python", Languages.ofFile(Path.of("x/Main.PY")).orElseThrow());
        assertEquals("java", Languages.ofFile(Path.of("Main.java")).orElseThrow());
        assertEquals("cpp", Languages.ofFile(Path.of("a.cc")).orElseThrow());
        assertEquals("rust", Languages.ofFile(Path.of("main.rs")).orElseThrow());
        assertEquals(java.util.Optional.empty(), Languages.ofFile(Path.of("README")));
    }
}
