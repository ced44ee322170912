package io.codeexec.common.job;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The life of a job and the one table of its legal transitions, each with the Lua script (resources/lua)
 * that performs it. JobStateTableIT runs every script from every status and checks what it did against
 * this table: a script may only make the moves listed for it, and anything else must change nothing.
 */
public enum JobStatus {
    QUEUED, RUNNING, COMPLETED, CANCELLED;

    /** One legal move: {@code script} takes a job from {@code from} to {@code to} (the same status: it stays, e.g. renew). */
    public record Transition(JobStatus from, JobStatus to, String script) {}

    public static final List<Transition> TABLE = List.of(
            new Transition(QUEUED, RUNNING, "claim"),             // the fair pick: any tenant's single or batch job
            new Transition(QUEUED, CANCELLED, "cancel"),
            new Transition(RUNNING, RUNNING, "renew"),
            new Transition(RUNNING, COMPLETED, "complete"),
            new Transition(RUNNING, CANCELLED, "cancel"),
            new Transition(RUNNING, QUEUED, "requeue"),          // the holder shuts down
            new Transition(RUNNING, QUEUED, "release"),          // the holder's infrastructure failed before running
            new Transition(RUNNING, QUEUED, "requeue_lapsed"));  // the reaper: the lease lapsed

    public boolean canMoveTo(JobStatus next) {
        return TABLE.stream().anyMatch(t -> t.from() == this && t.to() == next && next != this);
    }

    /** Where {@code script} takes a job in this status, or empty when it must change nothing. */
    public Optional<JobStatus> after(String script) {
        return TABLE.stream().filter(t -> t.from() == this && t.script().equals(script)).map(Transition::to).findFirst();
    }

    public boolean isFinal() {
        return TABLE.stream().noneMatch(t -> t.from() == this);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
