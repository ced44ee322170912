package io.codeexec.worker.sandbox;

/**
 * Our infrastructure failed to run a job (engine unreachable, image missing, a sandbox host broke):
 * the job is not to blame. {@link #imageMissing()} tells the worker to step aside for that language
 * only; any other cause means the engine itself is in doubt.
 */
public class SandboxUnavailableException extends RuntimeException {
    private final boolean imageMissing;

    public SandboxUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private SandboxUnavailableException(String message, Throwable cause, boolean imageMissing) {
        super(message, cause);
        this.imageMissing = imageMissing;
    }

    /** The runner image of a language is not on this engine. */
    public static SandboxUnavailableException imageMissing(String message, Throwable cause) {
        return new SandboxUnavailableException(message, cause, true);
    }

    public boolean imageMissing() {
        return imageMissing;
    }
}
