package io.codeexec.cli.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.cli.CliException;
import io.codeexec.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPairsTest {
    @TempDir
    Path dir;

    @Test
    void pairsAreSortedByNameAndOtherFilesIgnored() throws Exception {
        Files.writeString(dir.resolve("b.in"), "2 2\n");
        Files.writeString(dir.resolve("b.out"), "4\n");
        Files.writeString(dir.resolve("a.in"), "1 2\n");
        Files.writeString(dir.resolve("a.out"), "3\n");
        Files.writeString(dir.resolve("README.md"), "not a test");
        Files.createDirectory(dir.resolve("c.in"));  // a folder is not a test

        List<TestPair> pairs = TestPairs.read(dir);

        assertEquals(List.of(new TestPair("a", "1 2\n", "3\n"), new TestPair("b", "2 2\n", "4\n")), pairs);
    }

    @Test
    void aMissingOutputIsAnErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("a.in"), "1");
        Files.writeString(dir.resolve("a.out"), "1");
        Files.writeString(dir.resolve("lonely.in"), "x");
        CliException e = assertThrows(CliException.class, () -> TestPairs.read(dir));
        assertTrue(e.getMessage().contains("lonely.out is missing"), e.getMessage());
        assertEquals(ExitCodes.USAGE, e.exitCode());
    }

    @Test
    void aMissingInputIsAnErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("only.out"), "x");
        CliException e = assertThrows(CliException.class, () -> TestPairs.read(dir));
        assertTrue(e.getMessage().contains("only.in is missing"), e.getMessage());
    }

    @Test
    void anEmptyOrMissingFolderIsAnError() {
        assertTrue(assertThrows(CliException.class, () -> TestPairs.read(dir)).getMessage().contains("no test pairs"));
        assertTrue(assertThrows(CliException.class, () -> TestPairs.read(dir.resolve("nope"))).getMessage()
                .contains("does not exist"));
    }
}
