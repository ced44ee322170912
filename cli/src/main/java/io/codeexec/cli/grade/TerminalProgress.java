package io.codeexec.cli.grade;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarStyle;

/** The live bar on a terminal (me.tongfei:progressbar): done/total, percent, elapsed and ETA, rate, verdict counts. */
final class TerminalProgress implements Progress {
    private static final int REFRESH_MS = 250;
    private static final int MIN_WIDTH = 40;
    private final ProgressBar bar;

    TerminalProgress(int total, PrintStream out) {
        bar = ProgressBar.builder().setTaskName("Grading").setInitialMax(total).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(REFRESH_MS).showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUnit(" jobs", 1)
                .setConsumer(new InteractiveConsoleProgressBarConsumer(out, width())).build();
    }

    @Override
    public void update(int done, int total, Map<String, Integer> verdicts) {
        bar.maxHint(total);
        bar.stepTo(done);
        String counts = Progress.summary(verdicts);
        bar.setExtraMessage(counts.isEmpty() ? "" : " · " + counts);
    }

    /**
     * $COLUMNS when the shell exports it (a terminal that does not report its size, e.g. a fresh
     * pseudo-terminal, would otherwise get 80 columns); else -1: the library asks the terminal.
     */
    private static int width() {
        try {
            int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", ""));
            return columns >= MIN_WIDTH ? columns : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        bar.close();
    }
}
