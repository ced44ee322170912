package io.codeexec.common.queue;

import java.util.List;

/** A stored batch: its id and its jobs' ids, in the order they were submitted. */
public record BatchSubmission(String id, List<String> jobIds) {}
