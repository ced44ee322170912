package io.codeexec.common.job;

import static io.codeexec.common.job.JobStatus.CANCELLED;
import static io.codeexec.common.job.JobStatus.COMPLETED;
import static io.codeexec.common.job.JobStatus.QUEUED;
import static io.codeexec.common.job.JobStatus.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
    /** The table as the documentation states it; every pair not listed is illegal. */
    private static final Map<JobStatus, Set<JobStatus>> LEGAL = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(COMPLETED, CANCELLED, QUEUED),
            COMPLETED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    @Test
    void everyPairIsLegalExactlyWhenTheTableSaysSo() {
        int legal = 0;
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                boolean expected = LEGAL.get(from).contains(to);
                assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
                legal += expected ? 1 : 0;
            }
        }
        assertEquals(5, legal);
    }

    @Test
    void noStatusMovesToItself() {
        for (JobStatus status : JobStatus.values()) {
            assertFalse(status.canMoveTo(status), status.toString());
        }
    }

    @Test
    void onlyCompletedAndCancelledAreFinal() {
        assertEquals(EnumSet.of(COMPLETED, CANCELLED), EnumSet.copyOf(
                java.util.Arrays.stream(JobStatus.values()).filter(JobStatus::isFinal).toList()));
    }

    @Test
    void wireNamesAreLowercaseAndRoundTrip() {
        assertEquals("queued", QUEUED.wireName());
        assertEquals("running", RUNNING.wireName());
        assertEquals("completed", COMPLETED.wireName());
        assertEquals("cancelled", CANCELLED.wireName());
        for (JobStatus status : JobStatus.values()) {
            assertEquals(status, JobStatus.fromWire(status.wireName()));
        }
        assertThrows(IllegalArgumentException.class, () -> JobStatus.fromWire("done"));
    }

    @Test
    void verdictWireNames() {
        assertEquals("ok", Verdict.OK.wireName());
        assertEquals("time_limit_exceeded", Verdict.TIME_LIMIT_EXCEEDED.wireName());
        assertTrue(java.util.Arrays.stream(Verdict.values()).allMatch(v -> v.wireName().equals(v.name().toLowerCase())));
    }
}
