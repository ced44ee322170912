package io.codeexec.cli.report;

import io.codeexec.cli.CliException;
import io.codeexec.common.json.Json;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes report.csv, report.json and report.html into a folder, each replaced whole (temp file, then rename). */
public final class ReportFiles {
    public static final String CSV = "report.csv";
    public static final String JSON = "report.json";
    public static final String HTML = "report.html";

    private ReportFiles() {}

    public static void write(Path folder, GradeReport report) {
        try {
            Files.createDirectories(folder);
            replace(folder.resolve(CSV), CsvReport.render(report));
            replace(folder.resolve(JSON), Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report) + "\n");
            replace(folder.resolve(HTML), HtmlReport.render(report));
        } catch (IOException e) {
            throw new CliException(io.codeexec.cli.ExitCodes.USAGE, "cannot write the report into " + folder + ": " + e.getMessage());
        }
    }

    private static void replace(Path target, String content) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
