package io.codeexec.cli.grade;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Progress for logs and pipes: one line whenever more jobs finished, at most every {@link #EVERY} (and
 * always the last): "graded 12/40 (30%) · accepted 9 · wrong_answer 3 · 2.4 jobs/s · ETA 12 s".
 */
final class PlainProgress implements Progress {
    static final Duration EVERY = Duration.ofSeconds(2);
    private final PrintStream out;
    private final Clock clock;
    private final Instant start;
    private Instant lastLine = Instant.MIN;
    private int lastDone = -1;

    PlainProgress(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
        this.start = clock.instant();
    }

    @Override
    public void update(int done, int total, Map<String, Integer> verdicts) {
        Instant now = clock.instant();
        boolean last = done == total;
        if (done == lastDone || (!last && Duration.between(lastLine, now).compareTo(EVERY) < 0 && lastDone >= 0)) {
            return;
        }
        lastDone = done;
        lastLine = now;
        out.println(line(done, total, verdicts, Duration.between(start, now)));
        out.flush();
    }

    static String line(int done, int total, Map<String, Integer> verdicts, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = done / seconds;
        StringBuilder line = new StringBuilder("graded ").append(done).append('/').append(total)
                .append(" (").append(total == 0 ? 100 : done * 100 / total).append("%)");
        String counts = Progress.summary(verdicts);
        if (!counts.isEmpty()) {
            line.append(" · ").append(counts);
        }
        line.append(String.format(" · %.1f jobs/s", rate));
        if (done < total && rate > 0) {
            line.append(" · ETA ").append(Math.round((total - done) / rate)).append(" s");
        }
        return line.toString();
    }

    @Override
    public void close() {}
}
