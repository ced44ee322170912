package io.codeexec.worker;

import io.codeexec.common.job.JobRequest;
import io.codeexec.common.job.JobResult;
import io.codeexec.common.job.Language;
import io.codeexec.worker.sandbox.RunOutcome;
import io.codeexec.worker.sandbox.Sandbox;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/** A sandbox that only records which jobs it was asked to kill (for the cancel listener's tests). */
final class RecordingSandbox implements Sandbox {
    final List<String> cancelled = new CopyOnWriteArrayList<>();

    @Override
    public JobResult run(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        throw new UnsupportedOperationException("records cancels only");
    }

    @Override
    public RunOutcome runWithOutput(String jobId, Language language, JobRequest request, BooleanSupplier stillWanted) {
        throw new UnsupportedOperationException("records cancels only");
    }

    @Override
    public boolean cancel(String jobId) {
        cancelled.add(jobId);
        return true;
    }

    @Override
    public int cancelAll() {
        return 0;
    }

    @Override
    public String probeVersion(Language language) {
        throw new UnsupportedOperationException("records cancels only");
    }
}
