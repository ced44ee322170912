package io.codeexec.worker.sandbox;

/** Our infrastructure failed to run a job (engine unreachable, image missing): the job is not to blame. */
public class SandboxUnavailableException extends RuntimeException {
    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
