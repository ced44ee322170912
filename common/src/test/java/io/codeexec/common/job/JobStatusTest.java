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
import org.junit.jupiter.api.Test;

class JobStatusTest {
    @Test
    void everyTransitionOfTheTableNamesAScriptThatExists() {
        for (JobStatus.Transition t : JobStatus.TABLE) {
            assertTrue(JobStatus.class.getResource("/lua/" + t.script() + ".lua") != null, t.toString());
        }
    }

    @Test
    void afterFollowsTheTableAndRefusesWhatItDoesNotList() {
        assertEquals(java.util.Optional.of(RUNNING), QUEUED.after("claim"));
        assertEquals(java.util.Optional.of(QUEUED), RUNNING.after("release"));
        assertEquals(java.util.Optional.empty(), COMPLETED.after("complete"));
        assertEquals(java.util.Optional.empty(), QUEUED.after("complete"));
        assertTrue(RUNNING.canMoveTo(QUEUED));
        assertFalse(QUEUED.canMoveTo(COMPLETED));
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
