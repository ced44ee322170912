package io.codeexec.common.job;

/** A client's mistake in a submission: carries a stable code, the offending field and the HTTP status. */
public class InvalidSubmissionException extends RuntimeException {
    private final String code;
    private final String field;
    private final int status;

    public InvalidSubmissionException(String code, String field, String message, int status) {
        super(message);
        this.code = code;
        this.field = field;
        this.status = status;
    }

    public InvalidSubmissionException(String code, String field, String message) {
        this(code, field, message, 400);
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public int status() {
        return status;
    }
}
