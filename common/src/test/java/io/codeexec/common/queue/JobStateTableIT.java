package io.codeexec.common.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.codeexec.common.config.LimitPolicy;
import io.codeexec.common.job.JobId;
import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.JobStatus;
import io.codeexec.common.job.Verdict;
import io.codeexec.common.testing.RedisTestServer;
import io.codeexec.common.tenant.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.RedisClient;

/**
 * The state table is the law: every Lua script, run from every status (and on a missing job), with
 * everything else it needs in place (the id in the holder's list, the current token, a lapsed lease, a
 * batch queue holding it, its tenant in turn), does exactly what {@link JobStatus#TABLE} lists for it; anything it does not
 * list must leave the job hash exactly as it was.
 */
class JobStateTableIT {
    private static final String WORKER = "w1";
    private static final JobResult OK = new JobResult(Verdict.OK, 0, null, "x\n", "", false, false, 5L, 4L, 1000L, null);
    /** The script a JobQueue call runs, so the table names what is really executed. */
    private static final Map<String, Step> SCRIPTS = Map.of(
            "claim", (q, lease) -> q.claim(WORKER, 0.05),
            "cancel", (q, lease) -> q.cancel(lease.id()),
            "renew", JobQueue::renew,
            "complete", (q, lease) -> q.complete(lease, OK),
            "requeue", JobQueue::requeue,
            "release", (q, lease) -> q.release(lease, 0),
            "requeue_lapsed", (q, lease) -> q.requeueLapsed(lease.id(), lease.token()),
            "return_unclaimed", (q, lease) -> q.returnUnclaimed(WORKER, lease.id()),
            "move_due", (q, lease) -> q.moveDueDelayed());

    private interface Step {
        Object run(JobQueue queue, Lease lease);
    }

    private static RedisClient redis;
    private JobQueue queue;

    @BeforeAll
    static void connect() {
        redis = new RedisConnector(RedisTestServer.url()).pooled(4);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flushAll();
        queue = new JobQueue(redis, 100, 3600, Clock.systemUTC());
    }

    static List<Arguments> everyScriptFromEveryStatus() {
        List<Arguments> cases = new ArrayList<>();
        for (String script : SCRIPTS.keySet().stream().sorted().toList()) {
            for (JobStatus status : JobStatus.values()) {
                cases.add(Arguments.of(script, status));
            }
            cases.add(Arguments.of(script, null));  // missing
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyScriptFromEveryStatus")
    void aScriptDoesWhatTheTableSaysAndNothingElse(String script, JobStatus from) {
        Lease lease = jobIn(from);
        arm(lease);
        String key = RedisKeys.job(lease.id());
        Map<String, String> before = redis.hgetAll(key);

        SCRIPTS.get(script).run(queue, lease);

        Map<String, String> after = redis.hgetAll(key);
        Optional<JobStatus> expected = from == null ? Optional.empty() : from.after(script);
        if (expected.isPresent()) {
            assertEquals(expected.get().wireName(), after.get(JobFields.STATUS), script + " from " + from);
        } else {
            assertEquals(before, after, script + " from " + from + " is not in the table: it must change nothing");
        }
        if (from == null) {
            assertFalse(redis.exists(key), script + " created a hash for a missing job");
        }
    }

    /** A job of a one-job batch in {@code status} (null: missing), and the lease its holder would present. */
    private Lease jobIn(JobStatus status) {
        JobRequest request = new JobRequest("python", "print(1)", "", List.of(), LimitPolicy.standard().defaults());
        if (status == null) {
            return new Lease(JobId.newId(), request, 1, 1, WORKER);
        }
        String id = queue.submitBatch(List.of(request), "{}", "", 0).jobIds().getFirst();
        Lease queued = new Lease(id, request, 1, 1, WORKER);
        return switch (status) {
            case QUEUED -> queued;
            case RUNNING -> queue.claim(WORKER, 1).orElseThrow();
            case COMPLETED -> {
                Lease lease = queue.claim(WORKER, 1).orElseThrow();
                queue.complete(lease, OK);
                yield lease;
            }
            case CANCELLED -> {
                queue.cancel(id);
                yield queued;
            }
        };
    }

    /** Puts in place everything but the status that a script needs to act. */
    private void arm(Lease lease) {
        String id = lease.id();
        Consumer<String> ensureHeld = processing -> {
            if (redis.lpos(processing, id) == null) {
                redis.lpush(processing, id);
            }
        };
        ensureHeld.accept(RedisKeys.processing(WORKER));
        String batch = Optional.ofNullable(redis.hget(RedisKeys.job(id), JobFields.BATCH)).orElse("b-" + id);
        if (redis.lpos(RedisKeys.batchQueue(batch), id) == null) {
            redis.rpush(RedisKeys.batchQueue(batch), id);
        }
        if (redis.lpos(RedisKeys.activeBatches(Tenant.ANONYMOUS_ID), batch) == null) {
            redis.rpush(RedisKeys.activeBatches(Tenant.ANONYMOUS_ID), batch);
        }
        if (redis.lpos(RedisKeys.tenants(), Tenant.ANONYMOUS_ID) == null) {
            redis.rpush(RedisKeys.tenants(), Tenant.ANONYMOUS_ID);
        }
        redis.zadd(RedisKeys.delayed(), 0, id);
        if (redis.exists(RedisKeys.job(id))) {
            redis.hset(RedisKeys.job(id), JobFields.LEASE_UNTIL, "1");
        }
    }
}
