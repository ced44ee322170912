package io.codeexec.common.queue;

/** An Idempotency-Key came back with a different request than the one it first created; nothing was stored. */
public class IdempotencyKeyReusedException extends RuntimeException {
    public IdempotencyKeyReusedException() {
        super("This Idempotency-Key was already used with a different request; use a new key for a new request");
    }
}
