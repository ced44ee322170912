package io.codeexec.cli.api;

import io.codeexec.cli.CliException;
import io.codeexec.cli.ExitCodes;

/**
 * The server answered with an error ({"error": {"code", "message", "field"}}), or could not be reached
 * (status 0). 4xx map to {@link ExitCodes#REJECTED}, everything else to {@link ExitCodes#INFRASTRUCTURE}.
 */
public final class ApiException extends CliException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message, String field) {
        super(status >= 400 && status < 500 ? ExitCodes.REJECTED : ExitCodes.INFRASTRUCTURE, describe(status, code, message, field));
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException unreachable(String message) {
        return new ApiException(0, "unreachable", message, null);
    }

    private static String describe(int status, String code, String message, String field) {
        if (status == 0) {
            return message;
        }
        String hint = switch (status) {
            case 401 -> " (set the key with --key or CODEEXEC_KEY)";
            case 403 -> " (this key may not do that, or it was revoked)";
            default -> "";
        };
        return "the server answered " + status + " " + code + ": " + message
                + (field == null ? "" : " [field: " + field + "]") + hint;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
