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
    private final ProgressBar bar;

    TerminalProgress(int total, PrintStream out) {
        bar = ProgressBar.builder().setTaskName("Grading").setInitialMax(total).setStyle(ProgressBarStyle.UNICODE_BLOCK)
                .setUpdateIntervalMillis(REFRESH_MS).showSpeed().setSpeedUnit(ChronoUnit.SECONDS).setUnit(" jobs", 1)
                .setConsumer(new InteractiveConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void update(int done, int total, Map<String, Integer> verdicts) {
        bar.maxHint(total);
        bar.stepTo(done);
        bar.setExtraMessage(Progress.summary(verdicts));
    }

    @Override
    public void close() {
        bar.close();
    }
}
