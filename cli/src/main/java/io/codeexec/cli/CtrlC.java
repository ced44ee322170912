package io.codeexec.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) while a command waits on the server: a shutdown hook that interrupts the main thread while it waits
 * on the server (only then, so a report being written is never torn), and holds the JVM's exit until
 * the main thread says it has written what it had ({@link #close}), at most {@link #GRACE}.
 */
public final class CtrlC implements AutoCloseable {
    static final Duration GRACE = Duration.ofSeconds(20);
    private final Thread main;
    private final Thread hook;
    private final CountDownLatch handled = new CountDownLatch(1);
    private boolean interruptible;
    private volatile boolean fired;

    private CtrlC(Thread main) {
        this.main = main;
        this.hook = new Thread(this::fire, "codeexec-ctrl-c");
    }

    /** Installs the hook for the calling thread. */
    public static CtrlC install() {
        CtrlC ctrlC = new CtrlC(Thread.currentThread());
        Runtime.getRuntime().addShutdownHook(ctrlC.hook);
        return ctrlC;
    }

    private void fire() {
        synchronized (this) {
            fired = true;
            if (interruptible) {
                main.interrupt();
            }
        }
        try {
            handled.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the main thread may be interrupted now (true while it waits on the server). */
    public synchronized void interruptible(boolean value) {
        interruptible = value;
        if (value && fired) {
            main.interrupt();  // Ctrl-C came just before
        }
        if (!value) {
            Thread.interrupted();  // a late interrupt must not break the file writes that follow
        }
    }

    public boolean fired() {
        return fired;
    }

    /** Lets the JVM finish exiting (after Ctrl-C) or removes the hook (normal end). */
    @Override
    public void close() {
        handled.countDown();
        if (!fired) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already: the hook runs and finds the latch open
            }
        }
    }
}
