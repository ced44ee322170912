package io.codeexec.cli.grade;

import io.codeexec.cli.CliException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds the test pairs of a folder: every {@code NAME.in} with its {@code NAME.out}, sorted by NAME.
 * A file without its partner is an error that names the missing file; other files are ignored.
 */
public final class TestPairs {
    static final String INPUT = ".in";
    static final String OUTPUT = ".out";

    private TestPairs() {}

    public static List<TestPair> read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw CliException.usage("tests folder " + folder + " does not exist or is not a folder");
        }
        TreeMap<String, Path> inputs = new TreeMap<>();
        TreeMap<String, Path> outputs = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String name = file.getFileName().toString();
                if (name.endsWith(INPUT)) {
                    inputs.put(name.substring(0, name.length() - INPUT.length()), file);
                } else if (name.endsWith(OUTPUT)) {
                    outputs.put(name.substring(0, name.length() - OUTPUT.length()), file);
                }
            });
        } catch (IOException e) {
            throw CliException.usage("cannot list tests folder " + folder + ": " + e.getMessage());
        }
        TreeSet<String> names = new TreeSet<>(inputs.keySet());
        names.addAll(outputs.keySet());
        List<TestPair> pairs = new ArrayList<>();
        for (String name : names) {
            if (!inputs.containsKey(name)) {
                throw CliException.usage("test " + name + " has no input: " + folder.resolve(name + INPUT) + " is missing");
            }
            if (!outputs.containsKey(name)) {
                throw CliException.usage("test " + name + " has no expected output: " + folder.resolve(name + OUTPUT) + " is missing");
            }
            pairs.add(new TestPair(name, text(inputs.get(name)), text(outputs.get(name))));
        }
        if (pairs.isEmpty()) {
            throw CliException.usage("no test pairs (NAME.in with NAME.out) in " + folder);
        }
        return pairs;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw CliException.usage(file + " is not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
    }
}
