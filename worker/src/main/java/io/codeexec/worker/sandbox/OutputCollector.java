package io.codeexec.worker.sandbox;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;

/**
 * Receives a container's multiplexed stdout/stderr frames from attach, keeps each stream within its
 * cap and fires {@code onOverflow} once, as soon as a stream passes it, so the program is killed
 * promptly instead of being drained until its time runs out.
 */
final class OutputCollector extends ResultCallback.Adapter<Frame> {
    private final BoundedOutput stdout;
    private final BoundedOutput stderr;
    private final Runnable onOverflow;
    private volatile boolean overflowed;

    /** {@code stderrAllowance} leaves room after the stderr cap for the launcher's report line. */
    OutputCollector(int capBytes, int stderrAllowance, Runnable onOverflow) {
        this.stdout = new BoundedOutput(capBytes);
        this.stderr = new BoundedOutput(capBytes + stderrAllowance);
        this.onOverflow = onOverflow;
    }

    @Override
    public void onNext(Frame frame) {
        boolean within = frame.getStreamType() == StreamType.STDERR
                ? stderr.append(frame.getPayload())
                : stdout.append(frame.getPayload());
        if (!within && !overflowed) {
            overflowed = true;
            onOverflow.run();
        }
    }

    BoundedOutput stdout() {
        return stdout;
    }

    BoundedOutput stderr() {
        return stderr;
    }

    boolean overflowed() {
        return overflowed;
    }
}
