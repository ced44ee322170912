package io.codeexec.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.codeexec.common.job.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A program read from disk in the v1 request shape (contracts §3): one file becomes {@code code}, several
 * become {@code files} (names relative to the entrypoint's folder, content UTF-8 or base64) with the
 * {@code entrypoint} first. A submission folder is read whole (hidden files skipped); its entrypoint is
 * the language's usual file (main.py, Main.java, …) when present, else the only file of the language,
 * else the first file by name.
 */
public record ProgramSource(String code, List<SourceFile> files, String entrypoint) {

    public static ProgramSource ofFiles(List<Path> paths) {
        if (paths.isEmpty()) {
            throw CliException.usage("no program file given");
        }
        Path entry = paths.get(0);
        if (Files.isDirectory(entry)) {
            if (paths.size() > 1) {
                throw CliException.usage("give either one folder or files, not both: " + entry);
            }
            return ofFolder(entry, null);
        }
        if (paths.size() == 1) {
            return new ProgramSource(readText(entry), List.of(), null);
        }
        Path root = entry.toAbsolutePath().normalize().getParent();
        List<SourceFile> files = new ArrayList<>();
        for (Path path : paths) {
            Path absolute = path.toAbsolutePath().normalize();
            if (!absolute.startsWith(root)) {
                throw CliException.usage(path + " is not inside the entrypoint's folder " + root
                        + " (file names are sent relative to it)");
            }
            files.add(sourceFile(root.relativize(absolute).toString(), path));
        }
        return new ProgramSource(null, files, files.get(0).name());
    }

    /** Every regular, non-hidden file under folder; language picks the entrypoint (null: the first file). */
    public static ProgramSource ofFolder(Path folder, String language) {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(folder)) {
            paths = walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .sorted(Comparator.comparing(p -> folder.relativize(p).toString()))
                    .toList();
        } catch (IOException e) {
            throw CliException.usage("cannot read folder " + folder + ": " + e.getMessage());
        }
        if (paths.isEmpty()) {
            throw CliException.usage("folder " + folder + " holds no files");
        }
        Path entry = entrypoint(folder, paths, language);
        List<SourceFile> files = new ArrayList<>();
        files.add(sourceFile(folder.relativize(entry).toString(), entry));
        for (Path path : paths) {
            if (!path.equals(entry)) {
                files.add(sourceFile(folder.relativize(path).toString(), path));
            }
        }
        return new ProgramSource(null, files, files.get(0).name());
    }

    private static Path entrypoint(Path folder, List<Path> paths, String language) {
        if (language == null) {
            return paths.get(0);
        }
        String usual = Languages.sourceFile(language).orElse("");
        for (Path path : paths) {
            if (folder.relativize(path).toString().equals(usual)) {
                return path;
            }
        }
        List<Path> ofLanguage = paths.stream().filter(p -> Languages.ofFile(p).filter(language::equals).isPresent()).toList();
        return ofLanguage.size() == 1 ? ofLanguage.get(0) : paths.get(0);
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Writes code, or files and entrypoint, into a v1 job body. */
    public void writeInto(ObjectNode job) {
        if (code != null) {
            job.put("code", code);
            return;
        }
        ArrayNode array = job.putArray("files");
        for (SourceFile file : files) {
            array.addObject().put("name", file.name()).put("content", file.content()).put("encoding", file.encoding());
        }
        job.put("entrypoint", entrypoint);
    }

    static String readText(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw CliException.usage(path + " is not UTF-8 text");
        } catch (IOException e) {
            throw CliException.usage("cannot read " + path + ": " + e.getMessage());
        }
    }

    private static SourceFile sourceFile(String name, Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw CliException.usage("cannot read " + path + ": " + e.getMessage());
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new SourceFile(name, text, "utf8");
        } catch (CharacterCodingException e) {
            return new SourceFile(name, Base64.getEncoder().encodeToString(bytes), "base64");
        }
    }
}
