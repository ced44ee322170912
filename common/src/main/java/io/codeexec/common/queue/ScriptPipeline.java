package io.codeexec.common.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Group commit for the submission path's script calls. Callers on many request threads hand their call
 * to a few sender threads; a sender takes every call waiting at that moment (up to {@link #MAX_BATCH})
 * and sends them as one pipeline: one write, one read, one Redis event-loop pass for all of them, where
 * sending each on its own costs a round trip, two system calls on each side and a context switch apiece.
 * Nothing waits for a batch to fill: a lone call goes at once, and calls that arrive while a round trip
 * is in flight form the next batch, so batching grows with load and costs nothing at rest.
 *
 * <p>Each call still runs as its own script (its own atomic step); a pipeline is not a transaction. A
 * call answers with its script's reply or exception: a Redis error reply fails that call alone, a
 * connection failure fails the calls of its batch (whether Redis ran them is unknown, as it is for a
 * direct call that loses its connection). A script Redis has forgotten (NOSCRIPT) is loaded again and
 * the call re-run on its own.
 */
public final class ScriptPipeline implements ScriptRunner, AutoCloseable {
    /** Calls per pipeline at most: bounds one round trip's bytes and the wait of its first caller. */
    static final int MAX_BATCH = 256;

    private record Call(LuaScript script, List<String> keys, List<String> args, CompletableFuture<Object> answer) {}

    private static final Call STOP = new Call(null, null, null, null);

    private final UnifiedJedis redis;
    private final BlockingQueue<Call> waiting = new LinkedBlockingQueue<>();
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closed;
    private final LongAdder calls = new LongAdder();
    private final LongAdder roundTrips = new LongAdder();

    /** Starts {@code senders} sender threads on {@code redis} (whose pool needs a connection for each). */
    public ScriptPipeline(UnifiedJedis redis, int senders) {
        if (senders < 1) {
            throw new IllegalArgumentException("senders must be at least 1, got " + senders);
        }
        this.redis = redis;
        for (int i = 0; i < senders; i++) {
            this.senders.add(Thread.ofPlatform().daemon().name("redis-pipeline-" + i).start(this::send));
        }
    }

    /** Runs the script in the next pipeline and waits for its answer (its exception is rethrown as is). */
    @Override
    public Object run(LuaScript script, List<String> keys, List<String> args) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        waiting.add(new Call(script, keys, args, answer));
        if (closed) {
            failWaiting();
        }
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void send() {
        List<Call> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(waiting.take());
            } catch (InterruptedException e) {
                return;
            }
            waiting.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                flush(batch);
            }
            batch.clear();
            if (stop) {
                waiting.add(STOP);  // for the next sender
                return;
            }
        }
    }

    private void flush(List<Call> batch) {
        List<Response<Object>> responses = new ArrayList<>(batch.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Call call : batch) {
                responses.add(pipeline.evalsha(call.script().sha(redis), call.keys(), call.args()));
            }
            pipeline.sync();
            roundTrips.increment();
            calls.add(batch.size());
        } catch (RuntimeException e) {  // the connection failed: the whole batch's fate is unknown
            batch.forEach(call -> call.answer().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            answer(batch.get(i), responses.get(i));
        }
    }

    private void answer(Call call, Response<Object> response) {
        try {
            call.answer().complete(response.get());
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")) {
                rerun(call);
            } else {
                call.answer().completeExceptionally(e);
            }
        } catch (RuntimeException e) {
            call.answer().completeExceptionally(e);
        }
    }

    private void rerun(Call call) {
        try {
            call.answer().complete(call.script().reload(redis, call.keys(), call.args()));
        } catch (JedisException e) {
            call.answer().completeExceptionally(e);
        }
    }

    /** Calls sent so far (each in some pipeline). */
    public long calls() {
        return calls.sum();
    }

    /** Pipelines sent so far: calls() / roundTrips() is the mean batch. */
    public long roundTrips() {
        return roundTrips.sum();
    }

    /** Fails the calls no sender will take any more (after close). */
    private void failWaiting() {
        for (Call call; (call = waiting.poll()) != null; ) {
            if (call != STOP) {
                call.answer().completeExceptionally(new JedisConnectionException("the Redis pipeline is closed"));
            }
        }
    }

    /** Lets the senders finish the calls already handed in, then stops them; later calls fail. */
    @Override
    public void close() {
        closed = true;
        waiting.add(STOP);
        for (Thread sender : senders) {
            try {
                sender.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        failWaiting();
    }
}
