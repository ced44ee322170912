package io.codeexec.worker.callback;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codeexec.common.queue.Outbox;
import org.junit.jupiter.api.Test;

class BacklogWatchTest {
    private static Outbox.Backlog backlog(long pending, long retrying) {
        return new Outbox.Backlog(pending, retrying, 0);
    }

    @Test
    void logsWhenTheBacklogReachesTheThresholdDoublesAndClears() {
        BacklogWatch watch = new BacklogWatch(100);
        assertNull(watch.observe(backlog(10, 5)), "below the threshold");
        String first = watch.observe(backlog(90, 20));
        assertTrue(first != null && first.contains("90 pending, 20 waiting to retry"), first);
        assertNull(watch.observe(backlog(150, 0)), "grown, but not doubled since the last line");
        assertNull(watch.observe(backlog(50, 0)), "shrinking is not news");
        assertTrue(watch.observe(backlog(200, 20)).contains("growing"));
        assertNull(watch.observe(backlog(300, 0)));
        assertTrue(watch.observe(backlog(0, 0)).contains("cleared"));
        assertNull(watch.observe(backlog(0, 0)), "cleared once");
        assertTrue(watch.observe(backlog(100, 0)).contains("growing"), "a new surge is logged again");
    }
}
